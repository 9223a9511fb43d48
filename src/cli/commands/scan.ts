// `jackstop scan` flags; the work (and @kubernetes/client-node) is in ../scan.ts, imported when the command runs.
import { Command, Option } from 'commander'
import { OUTPUT_FORMATS } from '../../report/formats.ts'
import type { CommandContext } from '../command.ts'
import { policiesOption, wholeNumber, withClusterOptions } from '../options.ts'
import { DEFAULT_POLICIES_DIR } from '../paths.ts'

export function scanCommand(context: CommandContext): Command {
  return withClusterOptions(new Command('scan').description('scan a live cluster for pods, controllers and ConfigMaps the policies would refuse'))
    .addOption(new Option('--all-contexts', 'scan every context of the kubeconfig in turn and end with a per-cluster summary').default(false))
    .addOption(new Option('--no-hardening', 'skip the cluster hardening checks (RBAC, dashboards, unbounded namespaces, webhooks)'))
    .addOption(new Option('-n, --namespace <namespace>', 'scan one namespace (default: all)'))
    .addOption(policiesOption(DEFAULT_POLICIES_DIR))
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .addOption(new Option('--page-size <n>', 'objects per list call').default(500).argParser(wholeNumber('--page-size', 1)))
    .action(async (options) => {
      const { scanOrExplain } = await import('../scan.ts')
      context.exitCode = await scanOrExplain(options, context.io)
    })
}
