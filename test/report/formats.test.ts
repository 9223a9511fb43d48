import t from 'tap'
import { parseAllDocuments } from 'yaml'
import type { Finding } from '../../src/engine/types.ts'
import { formatPolicyReports } from '../../src/report/policy-report.ts'
import { formatSarif } from '../../src/report/sarif.ts'
import { formatTable } from '../../src/report/table.ts'
import type { Report } from '../../src/report/types.ts'

const finding = (action: Finding['action']): Finding => ({ policy: 'p', action, severity: 'high', path: 'spec', message: `${action} message` })
const report: Report = {
  policies: [],
  problems: [],
  objects: [
    { kind: 'Namespace', namespace: undefined, name: 'crypto', source: 'cluster', findings: [finding('warn')] },
    {
      apiVersion: 'v1',
      uid: 'u1',
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-*',
      source: 'pods of Deployment shop/web',
      count: 3,
      findings: [finding('deny'), finding('audit')],
    },
  ],
}

t.test('cluster-scoped objects go into a ClusterPolicyReport / ClusterReport', async (t) => {
  for (const [flavour, clusterKind] of [
    ['policyreport', 'ClusterPolicyReport'],
    ['openreports', 'ClusterReport'],
  ] as const) {
    const documents = parseAllDocuments(formatPolicyReports(report, flavour, new Date(1_800_000_000_000))).map((document) => document.toJS())
    t.match(documents[0], { kind: clusterKind, metadata: { name: 'jackstop-cluster' }, summary: { pass: 0, fail: 0, warn: 1 } })
    t.notOk('namespace' in documents[0].metadata)
    t.same(documents[0].results[0].resources, [{ apiVersion: 'v1', kind: 'Namespace', name: 'crypto' }])
    t.same(documents[0].results[0].timestamp, { seconds: 1_800_000_000, nanos: 0 })
    t.same(documents[1].results[1].result, 'warn', 'audit findings are reported as warnings')
    t.same(documents[1].results[0].resources, [{ apiVersion: 'v1', kind: 'Pod', name: 'web-*', namespace: 'shop', uid: 'u1' }])
  }
})

t.test('the table shows how many live objects share a finding, and audits', async (t) => {
  const text = formatTable(report, false)
  t.match(text, 'Pod shop/web-* ×3  pods of Deployment shop/web')
  t.match(text, 'Namespace crypto  cluster')
  t.match(text, 'AUDIT p')
})

t.test('the table is coloured only when the door asks for it', async (t) => {
  t.notMatch(formatTable(report, false), '\u001b[')
  t.match(formatTable(report, true), '\u001b[2mAUDIT\u001b[22m p')
})

t.test('SARIF gives a finding without a file (a live cluster) a logical location, never its source text as a URI', async (t) => {
  const sarif = JSON.parse(formatSarif(report, { version: '1.0.0' })) as { runs: { results: { locations: unknown[] }[] }[] }
  t.same(sarif.runs[0]?.results[1]?.locations, [{ logicalLocations: [{ name: 'spec', fullyQualifiedName: 'Pod shop/web-*/spec', kind: 'resource' }] }])
})
