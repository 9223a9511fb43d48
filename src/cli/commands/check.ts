// `jackstop check` flags; the work is in ../check.ts, imported when the command runs.
import { Command, Option } from 'commander'
import { OUTPUT_FORMATS } from '../../report/write.ts'
import type { CommandContext } from '../command.ts'
import { policiesOption } from '../options.ts'
import { DEFAULT_POLICIES_DIR } from '../paths.ts'
import { reviewBudgetOption } from '../review-budget-option.ts'

export function checkCommand(context: CommandContext): Command {
  return new Command('check')
    .description('check manifests (files, directories, or - for stdin) against the policies, as the webhook would')
    .argument('<paths...>', 'YAML or JSON files or directories; - reads standard input (kubectl kustomize dir | jackstop check -)')
    .addOption(policiesOption(DEFAULT_POLICIES_DIR))
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .addOption(new Option('--fail-on <action>', 'lowest action that makes the exit code 1').choices(['deny', 'warn']).default('deny'))
    .addOption(reviewBudgetOption())
    .addOption(new Option('--strict', 'fail (exit 2) on files that are not Kubernetes objects instead of skipping them with a notice'))
    .addOption(new Option('--sarif-root <dir>', 'directory SARIF file URIs are relative to (the repository root)').default('.'))
    .action(async (paths: string[], options) => {
      const { check } = await import('../check.ts')
      context.exitCode = await check(paths, options, context.io)
    })
}
