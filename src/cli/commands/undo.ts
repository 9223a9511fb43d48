// `jackstop undo` flags; the work (and @kubernetes/client-node) is in ../undo.ts, imported when the command runs.
import { Command, Option } from 'commander'
import type { CommandContext } from '../command.ts'
import { withClusterOptions } from '../options.ts'

export function undoCommand(context: CommandContext): Command {
  return withClusterOptions(
    new Command('undo')
      .description('reverse a remediation of jackstop watch (scale-to-zero or quarantine) on one object')
      .argument('<kind/name>', 'the object, as kubectl names it: deployment/stats, daemonset/agent, cronjob/report, pod/web-1'),
  )
    .addOption(new Option('-n, --namespace <namespace>', 'the object’s namespace').default('default'))
    .action(async (reference: string, options) => {
      const { undoRemediation } = await import('../undo.ts')
      context.exitCode = await undoRemediation(reference, options, context.io)
    })
}
