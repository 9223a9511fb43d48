// `jackstop undo KIND/NAME -n NAMESPACE`: reverses what `jackstop watch --remediation enforce`
// did to one object, from the record it left there. client-node is loaded only when it runs.
import type { CliIo } from './io.ts'

export interface UndoOptions {
  kubeconfig?: string
  context?: string
  inCluster: boolean
  namespace: string
}

/** Prints what was restored; a refusal (nothing to undo, API error) is thrown for the shell to report with exit code 2. */
export async function undoRemediation(reference: string, options: UndoOptions, io: CliIo): Promise<number> {
  const [{ connect, loadKubeConfig }, { parseTarget, undo }, { describeApiError }] = await Promise.all([
    import('../kube/cluster.ts'),
    import('../remediate/undo.ts'),
    import('../kube/list.ts'),
  ])
  const target = parseTarget(reference, options.namespace)
  try {
    io.stdout.write(`${await undo(connect(loadKubeConfig(options)), target)}\n`)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'JACKSTOP_ERR_UNDO') throw error
    throw new Error(`cannot undo: ${describeApiError(error)}`)
  }
  return 0
}
