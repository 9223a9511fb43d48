// SARIF that code-scanning services accept: valid against the official SARIF 2.1.0 schema
// (test/report/data, with its source), with artifact URIs that are URI references.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import type { Finding } from '../../src/engine/types.ts'
import { artifactLocation, formatSarif } from '../../src/report/sarif.ts'
import type { Report } from '../../src/report/types.ts'
import { defaultPolicies } from '../helpers/server.ts'

const schema = JSON.parse(readFileSync(new URL('data/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats.default(ajv)
const validateSarif = ajv.compile(schema)

const finding: Finding = {
  policy: 'privileged',
  action: 'deny',
  severity: 'critical',
  path: 'spec.containers[0].securityContext.privileged',
  message: 'privileged (privileged)',
}
const root = '/work/repo'

t.test('a path with spaces, #, % and unicode becomes a percent-encoded reference relative to the root', async (t) => {
  t.same(artifactLocation(join(root, 'deploy/my app/#1 100%/dépôt.yaml'), root), {
    uri: 'deploy/my%20app/%231%20100%25/d%C3%A9p%C3%B4t.yaml',
    uriBaseId: '%SRCROOT%',
  })
  t.same(artifactLocation(join(root, 'c:evil.yaml'), root), { uri: 'c%3Aevil.yaml', uriBaseId: '%SRCROOT%' }, 'never read as a scheme')
  t.same(artifactLocation('/elsewhere/a b.yaml', root), { uri: 'file:///elsewhere/a%20b.yaml' }, 'outside the root: an absolute file URI')
  t.equal(artifactLocation('-', root), undefined, 'standard input has no artifact')
  t.equal(artifactLocation(undefined, root), undefined)
})

t.test('a check report with files, standard input, a live object and problems is valid SARIF 2.1.0', async (t) => {
  const policySet = await defaultPolicies()
  const report: Report = {
    policies: policySet.policies,
    objects: [
      { kind: 'Pod', namespace: 'shop', name: 'web', source: `${root}/my app/pod.yaml:3`, file: `${root}/my app/pod.yaml`, line: 3, findings: [finding] },
      { kind: 'Pod', namespace: undefined, name: 'piped', source: '-:1', file: '-', line: 1, findings: [finding] },
      { kind: 'Pod', namespace: 'shop', name: 'web-*', source: 'pods of Deployment shop/web', count: 2, findings: [{ ...finding, action: 'warn' }] },
      { kind: 'ConfigMap', namespace: 'shop', name: 'clean', source: `${root}/cm.yaml:1`, file: `${root}/cm.yaml`, line: 1, findings: [] },
      { kind: 'Pod', namespace: 'shop', name: 'lineless', source: `${root}/pod.json`, file: `${root}/pod.json`, findings: [finding] },
    ],
    problems: [{ source: `${root}/broken.yaml:2`, message: 'not valid YAML' }],
    notices: [{ source: `${root}/Chart.yaml:1`, message: 'not a Kubernetes object (no kind)' }],
  }
  const sarif = JSON.parse(formatSarif(report, { version: '0.1.0', root }))
  t.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors, null, 2))
  const [run] = sarif.runs
  t.same(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(root).href}/` } })
  t.same(
    run.results.map(
      (result: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }) => result.locations[0]?.physicalLocation?.artifactLocation.uri,
    ),
    ['my%20app/pod.yaml', undefined, undefined, 'pod.json'],
  )
  t.same(
    run.invocations[0].toolExecutionNotifications.map((notification: { level: string }) => notification.level),
    ['error', 'note'],
  )
  t.equal(run.invocations[0].executionSuccessful, false)
  t.equal(run.tool.driver.rules.length, policySet.policies.length)
})

t.test('the schema test can fail: free text as a URI or a missing message is invalid', async (t) => {
  const broken = JSON.parse(formatSarif({ policies: [], problems: [], objects: [] }, { version: '0.1.0', root }))
  broken.runs[0].results = [{ ruleId: 'x', locations: [{ physicalLocation: { artifactLocation: { uri: 'pods of Deployment shop/miner' } } }] }]
  t.notOk(validateSarif(broken))
})
