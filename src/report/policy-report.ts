// Reports as Kubernetes objects: PolicyReport / ClusterPolicyReport (wgpolicyk8s.io/v1alpha2,
// what Policy Reporter and most tools read today) or their successor, OpenReports Report /
// ClusterReport (openreports.io/v1alpha1). One report per namespace, as a YAML stream. An object
// with no finding gets one `pass` result, so the summary counts exactly what `results` holds.
import { stringify } from 'yaml'
import type { Finding } from '../engine/types.ts'
import type { Report, ReportedObject } from './types.ts'

export type ReportFlavour = 'policyreport' | 'openreports'

const RESULTS = { deny: 'fail', warn: 'warn', audit: 'warn' } as const
const STATUSES = ['pass', 'fail', 'warn', 'error', 'skip'] as const
type Status = (typeof STATUSES)[number]

interface ResultInput {
  policy: string
  result: Status
  message: string
  severity?: Finding['severity']
  path?: string
}

/** The one result of an object no policy found anything in. */
const PASSED: ResultInput = { policy: 'jackstop', result: 'pass', message: 'no jackstop policy finds anything in this object' }

function result(object: ReportedObject, input: ResultInput, seconds: number) {
  const properties = { ...(input.path === undefined ? {} : { path: input.path }), ...(object.count === undefined ? {} : { count: String(object.count) }) }
  return {
    source: 'jackstop',
    policy: input.policy,
    rule: input.policy,
    result: input.result,
    ...(input.severity === undefined ? {} : { severity: input.severity }),
    message: input.message,
    scored: true,
    timestamp: { seconds, nanos: 0 },
    resources: [
      {
        apiVersion: object.apiVersion ?? 'v1',
        kind: object.kind,
        name: object.name,
        ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
        ...(object.uid === undefined ? {} : { uid: object.uid }),
      },
    ],
    ...(Object.keys(properties).length === 0 ? {} : { properties }),
  }
}

export function formatPolicyReports(report: Report, flavour: ReportFlavour, now: Date): string {
  return policyReportDocuments(report, flavour, now)
    .map((document) => `---\n${stringify(document)}`)
    .join('')
}

/** The report objects themselves, one per namespace, for a door that writes them to the API. */
export function policyReportDocuments(report: Report, flavour: ReportFlavour, now: Date) {
  const seconds = Math.floor(now.getTime() / 1000)
  const byNamespace = new Map<string | undefined, ReportedObject[]>()
  for (const object of report.objects) {
    const objects = byNamespace.get(object.namespace)
    if (objects === undefined) byNamespace.set(object.namespace, [object])
    else objects.push(object)
  }
  const apiVersion = flavour === 'openreports' ? 'openreports.io/v1alpha1' : 'wgpolicyk8s.io/v1alpha2'
  return [...byNamespace].map(([namespace, objects]) => {
    const results = objects.flatMap((object) =>
      object.findings.length === 0
        ? [result(object, PASSED, seconds)]
        : object.findings.map((finding) =>
            result(
              object,
              { policy: finding.policy, result: RESULTS[finding.action], message: finding.message, severity: finding.severity, path: finding.path },
              seconds,
            ),
          ),
    )
    const kind =
      namespace === undefined ? (flavour === 'openreports' ? 'ClusterReport' : 'ClusterPolicyReport') : flavour === 'openreports' ? 'Report' : 'PolicyReport'
    return {
      apiVersion,
      kind,
      metadata: {
        name: namespace === undefined ? 'jackstop-cluster' : `jackstop-${namespace}`,
        ...(namespace === undefined ? {} : { namespace }),
        labels: { 'app.kubernetes.io/managed-by': 'jackstop' },
      },
      summary: Object.fromEntries(STATUSES.map((status) => [status, results.filter((entry) => entry.result === status).length])),
      results,
    }
  })
}
