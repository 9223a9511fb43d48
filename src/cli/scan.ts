// `jackstop scan`: finds what already runs in a cluster that the webhook would refuse today.
import { Command, Option } from 'commander'
import { type ConnectOptions, connect, loadKubeConfig } from '../kube/cluster.ts'
import { describeApiError, listEverything } from '../kube/list.ts'
import { loadPolicySet } from '../policy/load.ts'
import { formatPolicyReports } from '../report/policy-report.ts'
import { type Report, reportFails } from '../report/types.ts'
import { formatReport } from '../report/write.ts'
import { groupScanResults } from '../scan/group.ts'
import { DEFAULT_POLICIES_DIR } from './paths.ts'
import { VERSION } from './version.ts'

export const SCAN_OUTPUTS = ['table', 'json', 'sarif', 'policyreport', 'openreports'] as const

export interface ScanOptions extends ConnectOptions {
  policies: string
  namespace?: string
  output: (typeof SCAN_OUTPUTS)[number]
  pageSize: number
}

interface Streams {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
}

/** A one-line progress counter, on a terminal only: a pipe or a CI log gets nothing. */
function progress(stderr: Streams['stderr']): { update(kind: string, count: number): void; done(): void } {
  if (stderr.isTTY !== true) return { update: () => {}, done: () => {} }
  return {
    update: (kind, count) => stderr.write(`\r\u001b[2Kscanning ${kind}: ${count}`),
    done: () => stderr.write('\r\u001b[2K'),
  }
}

/** Exit codes: 0 clean, 1 a deny-level finding, 2 the cluster could not be read at all. */
export async function scan(options: ScanOptions, streams: Streams = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const client = connect(loadKubeConfig(options))
  const bar = progress(streams.stderr)
  // listEverything reports failures as problems; it does not throw.
  const listed = await listEverything(client, { namespace: options.namespace, pageSize: options.pageSize, onPage: bar.update })
  bar.done()
  const report: Report = {
    policies: policySet.policies,
    objects: groupScanResults(listed.objects, policySet),
    problems: listed.problems.map((problem) => ({ source: `${client.context} (${client.server}): ${problem.what}`, message: problem.message })),
  }
  if (options.output === 'policyreport' || options.output === 'openreports') {
    streams.stdout.write(formatPolicyReports(report, options.output, new Date()))
    for (const problem of report.problems) streams.stderr.write(`jackstop: ${problem.source}: ${problem.message}\n`)
  } else {
    streams.stdout.write(formatReport(report, options.output, streams.stdout, VERSION))
  }
  if (listed.objects.length === 0 && listed.problems.length > 0) return 2
  return reportFails(report, 'deny') ? 1 : 0
}

export function scanCommand(): Command {
  return new Command('scan')
    .description('scan a live cluster for pods, controllers and ConfigMaps the policies would refuse')
    .addOption(new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)').env('KUBECONFIG'))
    .addOption(new Option('--context <name>', 'kubeconfig context (default: the current one)'))
    .addOption(new Option('--in-cluster', 'use the pod service account').default(false))
    .addOption(new Option('-n, --namespace <namespace>', 'scan one namespace (default: all)'))
    .addOption(new Option('--policies <dir>', 'policies directory').env('JACKSTOP_POLICIES').default(DEFAULT_POLICIES_DIR))
    .addOption(new Option('-o, --output <format>', 'output format').choices(SCAN_OUTPUTS).default('table'))
    .addOption(
      new Option('--page-size <n>', 'objects per list call').default(500).argParser((value: string) => {
        const parsed = Number(value)
        if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`"${value}" is not a positive whole number`)
        return parsed
      }),
    )
    .action(async (options: ScanOptions) => {
      try {
        process.exitCode = await scan(options)
      } catch (error) {
        throw new Error(`cannot scan: ${describeApiError(error)}`)
      }
    })
}
