// `jackstop check`: the webhook's policies over manifests, before they reach a cluster.
import { Command, Option } from 'commander'
import { evaluate } from '../engine/evaluate.ts'
import type { PolicySet } from '../engine/types.ts'
import { type LoadResult, loadManifests, readStdin } from '../loader/manifests.ts'
import { loadPolicySet } from '../policy/load.ts'
import { type FailOn, type Report, reportFails } from '../report/types.ts'
import { formatReport, OUTPUT_FORMATS, type OutputFormat } from '../report/write.ts'
import { DEFAULT_POLICIES_DIR } from './paths.ts'
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
      // The other documents are read too: a pod's ConfigMaps in the same files are what it will mount.
      findings: evaluate({ object, related: loaded.objects.map((other) => other.object) }, policySet).findings,
    })),
  }
}

/** Exit codes: 0 clean, 1 something would be refused (or warned with --fail-on warn), 2 unreadable input. */
export async function check(paths: string[], options: CheckOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const loaded = await loadManifests(paths, readStdin)
  const report = checkObjects(loaded, policySet)
  stdout.write(formatReport(report, options.output, stdout, VERSION))
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
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await check(paths, options)
    })
}
