// `jackstop undo KIND/NAME -n NAMESPACE`: reverses what `jackstop watch --remediation enforce`
// did to one object, from the record it left there. client-node is loaded only when it runs.
import { Command, Option } from 'commander'
import type { CommandContext } from './command.ts'
import { fromEnv } from './options.ts'

interface UndoOptions {
  kubeconfig?: string
  context?: string
  inCluster: boolean
  namespace: string
}

export function undoCommand(context: CommandContext): Command {
  return new Command('undo')
    .description('reverse a remediation of jackstop watch (scale-to-zero or quarantine) on one object')
    .argument('<kind/name>', 'the object, as kubectl names it: deployment/stats, daemonset/agent, cronjob/report, pod/web-1')
    .addOption(fromEnv(new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)'), 'KUBECONFIG'))
    .addOption(new Option('--context <name>', 'kubeconfig context (default: the current one)'))
    .addOption(new Option('--in-cluster', 'use the pod service account').default(false))
    .addOption(new Option('-n, --namespace <namespace>', 'the object’s namespace').default('default'))
    .action(async (reference: string, options: UndoOptions) => {
      const [{ connect, loadKubeConfig }, { parseTarget, undo }, { describeApiError }] = await Promise.all([
        import('../kube/cluster.ts'),
        import('../remediate/undo.ts'),
        import('../kube/list.ts'),
      ])
      const target = parseTarget(reference, options.namespace)
      try {
        context.io.stdout.write(`${await undo(connect(loadKubeConfig(options)), target)}\n`)
      } catch (error) {
        if ((error as { code?: unknown }).code === 'JACKSTOP_ERR_UNDO') throw error
        throw new Error(`cannot undo: ${describeApiError(error)}`)
      }
    })
}
