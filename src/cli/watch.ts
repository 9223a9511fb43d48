// `jackstop watch`: the controller that keeps reports current, reads CPU evidence and, when told
// to enforce, contains miners. Runs until SIGTERM. client-node is loaded only when it runs.
import { Command, Option } from 'commander'
import { WatchOptionError } from '../errors.ts'
import { DEFAULT_POLICIES_DIR } from './paths.ts'

const REMEDIATION_MODES = ['dry-run', 'enforce'] as const
const REPORT_FORMATS = ['policyreport', 'openreports'] as const

function duration(flag: string) {
  return async (text: string): Promise<number> => {
    const { parseDuration } = await import('../watch/duration.ts')
    const ms = parseDuration(text)
    if (ms === undefined) throw new WatchOptionError(`${flag} "${text}" is not a duration such as 10m, 30s or 1m30s`)
    return ms
  }
}

function positive(flag: string) {
  return (text: string): number => {
    const value = Number(text)
    if (!Number.isFinite(value) || value <= 0) throw new WatchOptionError(`${flag} "${text}" must be a positive number`)
    return value
  }
}

interface RawWatchOptions {
  kubeconfig?: string
  context?: string
  inCluster: boolean
  namespaces?: string
  remediation: (typeof REMEDIATION_MODES)[number]
  cpuWindow: string
  cpuSample: string
  cpuCores?: string
  reportFormat: (typeof REPORT_FORMATS)[number]
  policies: string
  host: string
  port: string
  ownNamespace: string
  identity?: string
  leaseName: string
  leaseDuration: string
  resync: string
  pageSize: string
  logLevel: string
}

export function watchCommand(): Command {
  return new Command('watch')
    .description('watch a cluster: keep policy reports current, flag sustained CPU, and remediate per policy (dry run by default)')
    .addOption(new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)').env('KUBECONFIG'))
    .addOption(new Option('--context <name>', 'kubeconfig context (default: the current one)'))
    .addOption(new Option('--in-cluster', 'use the pod service account').default(false))
    .addOption(new Option('--namespaces <list>', 'comma-separated namespaces to watch (default: all)'))
    .addOption(new Option('--remediation <mode>', 'dry-run: log, report and record Events only; enforce: act').choices(REMEDIATION_MODES).default('dry-run'))
    .addOption(new Option('--cpu-window <duration>', 'how long CPU must stay at the line for a sustained-cpu finding').default('10m'))
    .addOption(new Option('--cpu-sample <duration>', 'how often PodMetrics are read').default('30s'))
    .addOption(new Option('--cpu-cores <cores>', 'the line for containers without a CPU limit (default: they are not judged)'))
    .addOption(new Option('--report-format <format>', 'report kind written per namespace').choices(REPORT_FORMATS).default('policyreport'))
    .addOption(new Option('--policies <dir>', 'policies directory').env('JACKSTOP_POLICIES').default(DEFAULT_POLICIES_DIR))
    .addOption(new Option('--host <host>', 'address of the probes and metrics port').env('JACKSTOP_WATCH_HOST').default('0.0.0.0'))
    .addOption(new Option('--port <port>', 'probes (/healthz, /readyz) and /metrics port; 0 picks a free one').env('JACKSTOP_WATCH_PORT').default('8080'))
    .addOption(
      new Option('--own-namespace <namespace>', 'jackstop’s namespace: never remediated; holds the Lease').env('POD_NAMESPACE').default('jackstop-system'),
    )
    .addOption(new Option('--identity <name>', 'this replica’s name in the Lease (default: host name and pid)').env('POD_NAME'))
    .addOption(new Option('--lease-name <name>', 'the Lease replicas elect a leader with').default('jackstop-watch'))
    .addOption(new Option('--lease-duration <duration>', 'how long a Lease holds without renewal').default('15s'))
    .addOption(new Option('--resync <duration>', 'how often every cached object is reconciled again').default('5m'))
    .addOption(new Option('--page-size <n>', 'objects per list call').default('500'))
    .addOption(new Option('--log-level <level>', 'pino log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .action(async (raw: RawWatchOptions) => {
      const options = {
        kubeconfig: raw.kubeconfig,
        context: raw.context,
        inCluster: raw.inCluster,
        namespaces:
          raw.namespaces === undefined
            ? undefined
            : raw.namespaces
                .split(',')
                .map((name) => name.trim())
                .filter((name) => name !== ''),
        remediation: raw.remediation,
        reportFormat: raw.reportFormat,
        cpuWindowMs: await duration('--cpu-window')(raw.cpuWindow),
        cpuSampleMs: await duration('--cpu-sample')(raw.cpuSample),
        cpuCores: raw.cpuCores === undefined ? undefined : positive('--cpu-cores')(raw.cpuCores),
        policies: raw.policies,
        host: raw.host,
        port: Number(raw.port),
        ownNamespace: raw.ownNamespace,
        identity: raw.identity,
        leaseName: raw.leaseName,
        leaseDurationSeconds: Math.max(1, Math.round((await duration('--lease-duration')(raw.leaseDuration)) / 1000)),
        leaseRetryMs: Math.max(500, Math.round((await duration('--lease-duration')(raw.leaseDuration)) / 3)),
        resyncMs: await duration('--resync')(raw.resync),
        pageSize: Math.floor(positive('--page-size')(raw.pageSize)),
        watchTimeoutSeconds: 300,
        backoffMs: 500,
        logLevel: raw.logLevel,
      }
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new WatchOptionError(`--port "${raw.port}" is not a port number`)
      const { runWatch } = await import('../watch/run.ts')
      const stop = await runWatch(options)
      await new Promise<void>((resolve) => {
        const shutdown = () => {
          stop().then(resolve, resolve)
        }
        process.once('SIGTERM', shutdown)
        process.once('SIGINT', shutdown)
      })
    })
}
