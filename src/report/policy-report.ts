// Reports as Kubernetes objects: PolicyReport / ClusterPolicyReport (wgpolicyk8s.io/v1alpha2,
// what Policy Reporter and most tools read today) or their successor, OpenReports Report /
// ClusterReport (openreports.io/v1alpha1). One report per namespace, as a YAML stream.
import { stringify } from 'yaml'
import type { Finding } from '../engine/types.ts'
import type { Report, ReportedObject } from './types.ts'

export type ReportFlavour = 'policyreport' | 'openreports'

const RESULTS = { deny: 'fail', warn: 'warn', audit: 'warn' } as const

function result(object: ReportedObject, finding: Finding, seconds: number) {
  return {
    source: 'jackstop',
    policy: finding.policy,
    rule: finding.policy,
    result: RESULTS[finding.action],
    severity: finding.severity,
    message: finding.message,
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
    properties: { path: finding.path, ...(object.count === undefined ? {} : { count: String(object.count) }) },
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
    const results = objects.flatMap((object) => object.findings.map((finding) => result(object, finding, seconds)))
    const clean = objects.filter((object) => object.findings.length === 0).length
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
      summary: {
        pass: clean,
        fail: results.filter((entry) => entry.result === 'fail').length,
        warn: results.filter((entry) => entry.result === 'warn').length,
        error: 0,
        skip: 0,
      },
      results,
    }
  })
}
