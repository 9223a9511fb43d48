// `jackstop watch`: the controller that keeps reports current, reads CPU evidence and, when told
// to enforce, contains miners. It runs until the shutdown registered with `io` (SIGTERM, SIGINT).
import pino from 'pino'
import { type CliIo, logShutdown } from './io.ts'

export interface WatchOptions {
  kubeconfig?: string
  context?: string
  inCluster: boolean
  namespaces?: string[]
  remediation: 'dry-run' | 'enforce'
  reportFormat: 'policyreport' | 'openreports'
  /** Durations in milliseconds, parsed from `10m`, `30s` by the flags. */
  cpuWindow: number
  cpuSample: number
  cpuCores?: number
  policies: string
  host: string
  port: number
  ownNamespace: string
  identity?: string
  leaseName: string
  leaseDuration: number
  resync: number
  pageSize: number
  logLevel: string
}

/** Resolves once the controller is ready; the watches, probes and Lease stay until shutdown. */
export async function watch(options: WatchOptions, io: CliIo): Promise<number> {
  // client-node comes with run.ts: only this command pays for it.
  const { runWatch } = await import('../watch/run.ts')
  const logger = pino({ level: options.logLevel, base: { service: 'jackstop-watch' } }, io.stdout)
  const stop = await runWatch(
    {
      kubeconfig: options.kubeconfig,
      context: options.context,
      inCluster: options.inCluster,
      namespaces: options.namespaces,
      remediation: options.remediation,
      reportFormat: options.reportFormat,
      cpuWindowMs: options.cpuWindow,
      cpuSampleMs: options.cpuSample,
      cpuCores: options.cpuCores,
      policies: options.policies,
      host: options.host,
      port: options.port,
      ownNamespace: options.ownNamespace,
      identity: options.identity,
      leaseName: options.leaseName,
      leaseDurationSeconds: Math.max(1, Math.round(options.leaseDuration / 1000)),
      // Renew three times per Lease term, so one lost renewal does not hand the Lease over.
      leaseRetryMs: Math.max(500, Math.round(options.leaseDuration / 3)),
      resyncMs: options.resync,
      pageSize: options.pageSize,
      watchTimeoutSeconds: 300,
      backoffMs: 500,
    },
    logger,
  )
  io.onShutdown({ delay: 10_000, logger }, async (event) => {
    logShutdown(logger, event, 'releasing the Lease, closing watches')
    await stop()
  })
  io.stderr.write(`jackstop watch is running (remediation: ${options.remediation}); SIGTERM or Ctrl-C stops it.\n`)
  return 0
}
