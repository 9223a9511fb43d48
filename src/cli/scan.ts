// `jackstop scan`: finds what already runs in a cluster that the webhook would refuse today.
import type { PolicySet } from '../engine/types.ts'
import { hardeningFindings } from '../hardening/checks.ts'
import { takeSnapshot } from '../hardening/snapshot.ts'
import { type ConnectOptions, connect, loadKubeConfig } from '../kube/cluster.ts'
import { describeApiError, listEverything } from '../kube/list.ts'
import { loadPolicySet } from '../policy/load.ts'
import { formatPolicyReports } from '../report/policy-report.ts'
import { type Report, type ReportedObject, reportFails } from '../report/types.ts'
import { formatReport, type OutputFormat } from '../report/write.ts'
import { groupScanResults } from '../scan/group.ts'
import { type CliIo, type Output, wantsColor } from './io.ts'
import { VERSION } from './version.ts'

export interface ScanOptions extends ConnectOptions {
  policies: string
  hardening: boolean
  allContexts: boolean
  namespace?: string
  output: OutputFormat
  pageSize: number
}

/** A one-line progress counter, on a terminal only: a pipe or a CI log gets nothing. */
function progress(stderr: Output): { update(kind: string, count: number): void; done(): void } {
  if (stderr.isTTY !== true) return { update: () => {}, done: () => {} }
  return {
    update: (kind, count) => stderr.write(`\r\u001b[2Kscanning ${kind}: ${count}`),
    done: () => stderr.write('\r\u001b[2K'),
  }
}

interface ClusterScan {
  context: string
  objects: ReportedObject[]
  problems: Report['problems']
  reachable: boolean
}

async function scanCluster(options: ScanOptions, context: string | undefined, policySet: PolicySet, bar: ReturnType<typeof progress>): Promise<ClusterScan> {
  const client = connect(loadKubeConfig({ ...options, context }))
  const where = `${client.context} (${client.server})`
  // listEverything reports failures as problems; it does not throw.
  const listed = await listEverything(client, { namespace: options.namespace, pageSize: options.pageSize, onPage: bar.update })
  const reachable = !(listed.objects.length === 0 && listed.problems.length > 0)
  const objects = groupScanResults(listed.objects, policySet)
  const problems = listed.problems.map((problem) => ({ source: `${where}: ${problem.what}`, message: problem.message }))
  // The doors miners walk through look at the whole cluster; a namespace scan skips them.
  if (reachable && options.hardening && options.namespace === undefined) {
    const { snapshot, problems: snapshotProblems } = await takeSnapshot(client, listed.objects, options.pageSize)
    objects.push(...hardeningFindings(snapshot, new Date()))
    problems.push(...snapshotProblems.map((problem) => ({ source: `${where}: ${problem.what}`, message: problem.message })))
  }
  bar.done()
  const prefix = options.allContexts ? `${client.context}: ` : ''
  return { context: client.context, reachable, problems, objects: objects.map((object) => ({ ...object, source: `${prefix}${object.source}` })) }
}

/** Exit codes: 0 clean, 1 a deny-level finding, 2 no cluster could be read at all. */
export async function scan(options: ScanOptions, io: Pick<CliIo, 'stdout' | 'stderr' | 'env'>): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const bar = progress(io.stderr)
  const contexts = options.allContexts
    ? loadKubeConfig({ ...options, context: undefined })
        .getContexts()
        .map((context) => context.name)
    : [options.context]
  const scans: ClusterScan[] = []
  for (const context of contexts) {
    try {
      scans.push(await scanCluster(options, context, policySet, bar))
    } catch (error) {
      // One cluster that cannot even be configured must not stop the others.
      if (!options.allContexts) throw error
      scans.push({ context: context as string, reachable: false, objects: [], problems: [{ source: context as string, message: describeApiError(error) }] })
    }
  }
  const report: Report = { policies: policySet.policies, objects: scans.flatMap((one) => one.objects), problems: scans.flatMap((one) => one.problems) }
  if (options.output === 'policyreport' || options.output === 'openreports') {
    io.stdout.write(formatPolicyReports(report, options.output, new Date()))
    for (const problem of report.problems) io.stderr.write(`jackstop: ${problem.source}: ${problem.message}\n`)
  } else {
    io.stdout.write(formatReport(report, options.output, wantsColor(io.stdout, io.env), VERSION))
  }
  if (options.allContexts) {
    for (const one of scans) {
      const denied = one.objects.filter((object) => object.findings.some((finding) => finding.action === 'deny')).length
      const summary = one.reachable ? `${one.objects.length} objects, ${denied} with deny findings, ${one.problems.length} problems` : 'unreachable'
      io.stderr.write(`cluster ${one.context}: ${summary}\n`)
    }
  }
  if (scans.every((one) => !one.reachable)) return 2
  return reportFails(report, 'deny') ? 1 : 0
}

/** A kubeconfig that cannot be read or names no such context is said in one line, not a stack. */
export async function scanOrExplain(options: ScanOptions, io: Pick<CliIo, 'stdout' | 'stderr' | 'env'>): Promise<number> {
  try {
    return await scan(options, io)
  } catch (error) {
    throw new Error(`cannot scan: ${describeApiError(error)}`)
  }
}
