// PolicyReport and OpenReports summaries must count what `results` holds: dashboards (Policy
// Reporter) show the summary, drill-downs show the results, and the two must agree.
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import type { Finding } from '../../src/engine/types.ts'
import { formatPolicyReports } from '../../src/report/policy-report.ts'
import type { Report } from '../../src/report/types.ts'

const finding = (action: Finding['action'], policy = 'p'): Finding => ({ policy, action, severity: 'high', path: 'spec', message: `${action} message` })
const report: Report = {
  policies: [],
  problems: [],
  objects: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'miner',
      source: 'a.yaml:1',
      findings: [finding('deny'), finding('deny', 'q'), finding('warn')],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'clean', source: 'a.yaml:9', findings: [] },
    { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'audited', source: 'a.yaml:20', findings: [finding('audit')] },
    { apiVersion: 'v1', kind: 'Namespace', namespace: undefined, name: 'shop', source: 'a.yaml:30', findings: [] },
  ],
}

for (const flavour of ['policyreport', 'openreports'] as const) {
  t.test(`${flavour}: every summary count equals the results of that status, clean objects included as pass`, async (t) => {
    const documents = parseAllDocuments(formatPolicyReports(report, flavour, new Date(0))).map((document) => document.toJS())
    for (const document of documents) {
      const counted = Object.fromEntries(
        ['pass', 'fail', 'warn', 'error', 'skip'].map((status) => [
          status,
          document.results.filter((result: { result: string }) => result.result === status).length,
        ]),
      )
      t.same(document.summary, counted, document.metadata.name)
    }
    t.same(
      documents.map((document) => document.summary),
      [
        { pass: 1, fail: 2, warn: 2, error: 0, skip: 0 },
        { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 },
      ],
    )
    const pass = documents[0].results.find((result: { result: string }) => result.result === 'pass')
    t.same(pass.resources, [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'clean', namespace: 'shop' }])
    t.notOk('severity' in pass, 'a pass has no severity')
  })
}
