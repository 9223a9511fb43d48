// What `check` and `scan` report: objects with their findings, in one shape for every output.
import type { Finding, Policy } from '../engine/types.ts'

export interface ReportedObject {
  apiVersion?: string | undefined
  uid?: string | undefined
  kind: string
  namespace: string | undefined
  name: string
  /** Where it was found: `manifests/web.yaml:12`, or `cluster` for a scan. */
  source: string
  file?: string | undefined
  line?: number | undefined
  /** For a scan: how many live objects (a Deployment's pods) share these findings. */
  count?: number
  findings: Finding[]
}

export interface ReportProblem {
  source: string
  message: string
}

export interface Report {
  objects: ReportedObject[]
  problems: ReportProblem[]
  /** Inputs skipped as not Kubernetes objects (check without --strict): said, never failed. */
  notices?: ReportProblem[]
  policies: readonly Policy[]
}

export type FailOn = 'deny' | 'warn'

/** Exit code 1 when anything would be refused (or warned, with --fail-on warn). */
export function reportFails(report: Report, failOn: FailOn): boolean {
  const failing = failOn === 'warn' ? new Set(['deny', 'warn']) : new Set(['deny'])
  return report.objects.some((object) => object.findings.some((finding) => failing.has(finding.action)))
}

export function objectLabel(object: Pick<ReportedObject, 'kind' | 'namespace' | 'name'>): string {
  return `${object.kind} ${object.namespace === undefined ? '' : `${object.namespace}/`}${object.name}`
}
