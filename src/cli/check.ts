// `jackstop check`: the webhook's policies over manifests, before they reach a cluster.
import { evaluate } from '../engine/evaluate.ts'
import type { PolicySet } from '../engine/types.ts'
import { type LoadResult, loadManifests } from '../loader/manifests.ts'
import { loadPolicySet } from '../policy/load.ts'
import { type FailOn, type Report, reportFails } from '../report/types.ts'
import { formatReport, type OutputFormat } from '../report/write.ts'
import { type CliIo, readAll, wantsColor } from './io.ts'
import { VERSION } from './version.ts'

export interface CheckOptions {
  policies: string
  output: OutputFormat
  failOn: FailOn
}

/** The same evaluation the webhook runs on CREATE: validation policies only. */
export function checkObjects(loaded: LoadResult, policySet: PolicySet): Report {
  return {
    policies: policySet.policies,
    problems: loaded.problems.map((problem) => ({
      source: problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`,
      message: problem.message,
    })),
    objects: loaded.objects.map(({ object, source, file, line }) => ({
      kind: object.kind as string,
      namespace: object.metadata?.namespace,
      name: object.metadata?.name ?? object.metadata?.generateName ?? '(unnamed)',
      source,
      file,
      line,
      findings: evaluate({ object }, policySet).findings,
    })),
  }
}

/** Exit codes: 0 clean, 1 something would be refused (or warned with --fail-on warn), 2 unreadable input. */
export async function check(paths: string[], options: CheckOptions, io: Pick<CliIo, 'stdin' | 'stdout' | 'env'>): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const loaded = await loadManifests(paths, () => readAll(io.stdin))
  const report = checkObjects(loaded, policySet)
  io.stdout.write(formatReport(report, options.output, wantsColor(io.stdout, io.env), VERSION))
  if (report.problems.length > 0) return 2
  return reportFails(report, options.failOn) ? 1 : 0
}
