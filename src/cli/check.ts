// `jackstop check`: the webhook's policies over manifests, before they reach a cluster.
import { evaluate } from '../engine/evaluate.ts'
import type { PolicySet } from '../engine/types.ts'
import { type LoadProblem, type LoadResult, loadManifests } from '../loader/manifests.ts'
import { loadPolicySet } from '../policy/load.ts'
import { type FailOn, type Report, reportFails } from '../report/types.ts'
import { formatReport, type OutputFormat } from '../report/write.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { type CliIo, readAll, wantsColor } from './io.ts'
import { VERSION } from './version.ts'

export interface CheckOptions {
  policies: string
  output: OutputFormat
  failOn: FailOn
  reviewBudget?: number
  /** Every document must be a Kubernetes object (files that are not fail with exit code 2). */
  strict?: boolean
  /** SARIF artifact URIs are relative to this directory. */
  sarifRoot?: string
}

const located = (problem: LoadProblem) => ({
  source: problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`,
  message: problem.message,
})

/** A template that parsed may carry a map where a name belongs. */
function nameOf(object: KubeObject): string {
  const { name, generateName } = object.metadata ?? {}
  return typeof name === 'string' ? name : typeof generateName === 'string' ? generateName : '(unnamed)'
}

/** The same evaluation the webhook runs on CREATE: validation policies only. */
export function checkObjects(loaded: LoadResult, policySet: PolicySet, reviewBudget?: number): Report {
  // The other documents are read too: a pod's ConfigMaps in the same files are what it will
  // mount. Mounted files it does not run are read for miner configs only (docs/detection.md).
  const related = loaded.objects.map((other) => other.object)
  return {
    policies: policySet.policies,
    problems: loaded.problems.map(located),
    notices: loaded.skipped.map(located),
    objects: loaded.objects.map(({ object, source, file, line }) => ({
      apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : undefined,
      kind: object.kind as string,
      namespace: object.metadata?.namespace,
      name: nameOf(object),
      source,
      file,
      line,
      findings: evaluate({ object, reviewBudget, related }, policySet).findings,
    })),
  }
}

/** Exit codes: 0 clean, 1 something would be refused (or warned with --fail-on warn), 2 unreadable input. */
export async function check(paths: string[], options: CheckOptions, io: Pick<CliIo, 'stdin' | 'stdout' | 'env'>): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const loaded = await loadManifests(paths, () => readAll(io.stdin), { strict: options.strict === true })
  const report = checkObjects(loaded, policySet, options.reviewBudget)
  io.stdout.write(formatReport(report, options.output, wantsColor(io.stdout, io.env), VERSION, { sarifRoot: options.sarifRoot }))
  if (report.problems.length > 0) return 2
  return reportFails(report, options.failOn) ? 1 : 0
}
