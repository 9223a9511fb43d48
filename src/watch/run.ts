// Runs the controller for the CLI: connects, starts informers, the probe port and the Lease,
// and stops cleanly on SIGTERM (Lease released, watches closed). Loaded only by `jackstop
// watch`, so other commands never pay for client-node.
import { hostname } from 'node:os'
import type { Logger } from 'pino'
import { type ConnectOptions, loadKubeConfig } from '../kube/cluster.ts'
import { loadPolicySet } from '../policy/load.ts'
import { connectForWatch } from './client.ts'
import { WatchController, type WatchSettings } from './controller.ts'
import { startProbeServer } from './http.ts'
import { createWatchMetrics } from './metrics.ts'

export interface WatchRunOptions extends ConnectOptions, Omit<WatchSettings, 'policySet' | 'identity'> {
  policies: string
  identity: string | undefined
  host: string
  port: number
}

/** The caller owns the logger (the CLI writes it to its own stdout). */
export async function runWatch(options: WatchRunOptions, logger: Logger): Promise<() => Promise<void>> {
  const policySet = await loadPolicySet(options.policies)
  const client = connectForWatch(loadKubeConfig(options), (options.watchTimeoutSeconds + 30) * 1000)
  const metrics = createWatchMetrics()
  const identity = options.identity ?? `${hostname()}-${process.pid}`
  const controller = new WatchController(client, { ...options, policySet, identity }, logger, metrics)
  const probes = await startProbeServer({ host: options.host, port: options.port, ready: () => controller.ready, registry: metrics.registry })
  logger.info({ port: probes.port, host: options.host }, 'probes and metrics listening')
  await controller.start()
  logger.info(
    {
      identity,
      remediation: options.remediation,
      reportFormat: options.reportFormat,
      namespaces: options.namespaces ?? 'all',
      cpuWindowMs: options.cpuWindowMs,
      policies: policySet.policies.map((policy) => (policy.remediate === undefined ? policy.id : `${policy.id}:${policy.remediate}`)),
    },
    'jackstop watch ready',
  )
  return async () => {
    await controller.stop()
    probes.server.closeAllConnections()
    await new Promise<void>((resolve) => probes.server.close(() => resolve()))
  }
}
