// `jackstop serve`: the admission webhook.
import type { AddressInfo } from 'node:net'
import { join, relative } from 'node:path'
import type { Server as TlsServer } from 'node:tls'
import pino from 'pino'
import { ensureDevCertificates, readPem } from '../certs/dev-certificates.ts'
import { UsageError } from '../errors.ts'
import { loadPolicySet } from '../policy/load.ts'
import { buildServer, secureContextOptions } from '../server/build-server.ts'
import { reloadablePolicyStore } from '../server/policy-store.ts'
import { certificateExpiry, watchCertificate, watchPolicies } from '../server/reload.ts'
import { type CliIo, logShutdown } from './io.ts'
import { PACKAGE_ROOT } from './paths.ts'

export interface ServeOptions {
  port: number
  host: string
  cert?: string
  key?: string
  clientCa?: string
  certDir: string
  policies: string
  logLevel: string
  bodyLimit: number
  reviewBudget: number
  auditOnly: boolean
  drainDelay: number
  maxConnections: number
  keepAliveTimeout: number
  firstRequestTimeout: number
}

function tryItHint(certs: { caCert: string }, url: string): string {
  const ca = relative(process.cwd(), certs.caCert)
  const example = relative(process.cwd(), join(PACKAGE_ROOT, 'examples', 'deny-xmrig-pod.json'))
  return [
    `jackstop is serving on ${url}. Try it:`,
    `  curl --cacert ${ca} -H 'Content-Type: application/json' --data @${example} ${url}/validate`,
    `More sample AdmissionReviews are in ${relative(process.cwd(), join(PACKAGE_ROOT, 'examples'))}/.`,
  ].join('\n')
}

/** Resolves once the webhook listens; it serves until the shutdown registered with `io` runs. */
export async function serve(options: ServeOptions, io: CliIo): Promise<number> {
  const logger = pino({ level: options.logLevel, base: { service: 'jackstop' } }, io.stdout)
  if ((options.cert === undefined) !== (options.key === undefined)) throw new UsageError('--cert and --key go together')
  const policySet = await loadPolicySet(options.policies)
  let certPaths: { cert: string; key: string; caCert: string }
  if (options.cert === undefined && options.key === undefined) {
    const dev = await ensureDevCertificates(options.certDir)
    if (dev.generated) logger.info({ dir: options.certDir }, 'generated a CA and a serving certificate')
    certPaths = dev
  } else {
    certPaths = { cert: options.cert as string, key: options.key as string, caCert: options.cert as string }
  }
  const tls = {
    cert: await readPem(certPaths.cert),
    key: await readPem(certPaths.key),
    clientCa: options.clientCa === undefined ? undefined : await readPem(options.clientCa),
  }
  const store = reloadablePolicyStore(policySet)
  const transport = { maxConnections: options.maxConnections, keepAliveTimeout: options.keepAliveTimeout, firstRequestTimeout: options.firstRequestTimeout }
  const app = buildServer({
    logger,
    policies: store,
    tls,
    auditOnly: options.auditOnly,
    bodyLimit: options.bodyLimit,
    reviewBudget: options.reviewBudget,
    transport,
  })
  app.metrics.certificateExpiry.set(certificateExpiry(tls.cert))
  // The mounted ConfigMap and Secret change in place: apply them without a restart.
  const reloaders = [
    watchPolicies({ dir: options.policies, store, logger, metrics: app.metrics }),
    watchCertificate({
      files: { cert: certPaths.cert, key: certPaths.key },
      contextOptions: (material) => secureContextOptions({ ...material, clientCa: tls.clientCa }),
      apply: (context) => (app.server as unknown as TlsServer).setSecureContext(context),
      logger,
      metrics: app.metrics,
    }),
  ]
  io.onShutdown({ delay: options.drainDelay + 10_000, logger }, async (event) => {
    logShutdown(logger, event, 'readiness off, draining reviews')
    app.jackstop.ready = false
    for (const reloader of reloaders) reloader.close()
    // The API server keeps using open connections for a moment after the endpoint goes away.
    await new Promise((resolve) => setTimeout(resolve, options.drainDelay))
    app.jackstop.drain()
    await app.close()
  })
  await app.listen({ port: options.port, host: options.host })
  const { port } = app.server.address() as AddressInfo
  logger.info({ policies: policySet.policies.map((policy) => policy.id), auditOnly: options.auditOnly, port, host: options.host }, 'jackstop ready')
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host
  io.stderr.write(`${tryItHint(certPaths, `https://${shownHost}:${port}`)}\n`)
  return 0
}
