// `jackstop check`: the webhook's policies over manifests, before they reach a cluster.
import { Command, Option } from 'commander'
import { evaluate } from '../engine/evaluate.ts'
import type { PolicySet } from '../engine/types.ts'
import { type LoadProblem, type LoadResult, loadManifests, readStdin } from '../loader/manifests.ts'
import { loadPolicySet } from '../policy/load.ts'
import { type FailOn, type Report, reportFails } from '../report/types.ts'
import { formatReport, OUTPUT_FORMATS, type OutputFormat } from '../report/write.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { DEFAULT_POLICIES_DIR } from './paths.ts'
import { reviewBudgetOption } from './review-budget-option.ts'
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
      findings: evaluate({ object, reviewBudget }, policySet).findings,
    })),
  }
}

/** Exit codes: 0 clean, 1 something would be refused (or warned with --fail-on warn), 2 unreadable input. */
export async function check(paths: string[], options: CheckOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const loaded = await loadManifests(paths, readStdin, { strict: options.strict === true })
  const report = checkObjects(loaded, policySet, options.reviewBudget)
  stdout.write(formatReport(report, options.output, stdout, VERSION, { sarifRoot: options.sarifRoot }))
  if (report.problems.length > 0) return 2
  return reportFails(report, options.failOn) ? 1 : 0
}

export function checkCommand(): Command {
  return new Command('check')
    .description('check manifests (files, directories, or - for stdin) against the policies, as the webhook would')
    .argument('<paths...>', 'YAML or JSON files or directories; - reads standard input (kubectl kustomize dir | jackstop check -)')
    .addOption(new Option('--policies <dir>', 'policies directory').env('JACKSTOP_POLICIES').default(DEFAULT_POLICIES_DIR))
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .addOption(new Option('--fail-on <action>', 'lowest action that makes the exit code 1').choices(['deny', 'warn']).default('deny'))
    .addOption(reviewBudgetOption())
    .addOption(new Option('--strict', 'fail (exit 2) on files that are not Kubernetes objects instead of skipping them with a notice'))
    .addOption(new Option('--sarif-root <dir>', 'directory SARIF file URIs are relative to (the repository root)').default('.'))
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await check(paths, options)
    })
}
