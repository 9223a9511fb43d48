// `jackstop serve`: the admission webhook.
import type { AddressInfo } from 'node:net'
import { join, relative } from 'node:path'
import type { Server as TlsServer } from 'node:tls'
import closeWithGrace from 'close-with-grace'
import { Command, Option } from 'commander'
import pino from 'pino'
import { ensureDevCertificates, readPem } from '../certs/dev-certificates.ts'
import { loadPolicySet } from '../policy/load.ts'
import { buildServer, DEFAULT_BODY_LIMIT, secureContextOptions } from '../server/build-server.ts'
import { reloadablePolicyStore } from '../server/policy-store.ts'
import { certificateExpiry, watchCertificate, watchPolicies } from '../server/reload.ts'
import { FIRST_REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_CONNECTIONS } from '../server/transport.ts'
import { DEFAULT_POLICIES_DIR, PACKAGE_ROOT } from './paths.ts'
import { reviewBudgetOption } from './review-budget-option.ts'

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

function integer(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`"${value}" is not a whole number`)
  return parsed
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

export async function serve(options: ServeOptions): Promise<void> {
  const logger = pino({ level: options.logLevel, base: { service: 'jackstop' } })
  const policySet = await loadPolicySet(options.policies)
  let certPaths: { cert: string; key: string; caCert: string }
  if (options.cert === undefined && options.key === undefined) {
    const dev = await ensureDevCertificates(options.certDir)
    if (dev.generated) logger.info({ dir: options.certDir }, 'generated a CA and a serving certificate')
    certPaths = dev
  } else if (options.cert !== undefined && options.key !== undefined) {
    certPaths = { cert: options.cert, key: options.key, caCert: options.cert }
  } else {
    throw new Error('--cert and --key go together')
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
  closeWithGrace({ delay: options.drainDelay + 10_000, logger }, async ({ signal, err }) => {
    /* c8 ignore next: reached only through an uncaught exception, which no test provokes on purpose */
    if (err !== undefined) logger.error({ err }, 'fatal error, shutting down')
    logger.info({ signal }, 'shutting down: readiness off, draining reviews')
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
  process.stderr.write(`${tryItHint(certPaths, `https://${shownHost}:${port}`)}\n`)
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the admission webhook (POST /validate, /mutate; GET /healthz, /readyz)')
    .addOption(new Option('--port <port>', 'TLS port').env('JACKSTOP_PORT').default(8443).argParser(integer))
    .addOption(new Option('--host <host>', 'address to listen on').env('JACKSTOP_HOST').default('127.0.0.1'))
    .addOption(new Option('--cert <file>', 'serving certificate (PEM); default: generated into --cert-dir').env('JACKSTOP_CERT'))
    .addOption(new Option('--key <file>', 'serving key (PEM)').env('JACKSTOP_KEY'))
    .addOption(new Option('--client-ca <file>', 'require API server client certificates signed by this CA (mTLS)').env('JACKSTOP_CLIENT_CA'))
    .addOption(new Option('--cert-dir <dir>', 'where generated certificates go').env('JACKSTOP_CERT_DIR').default('certs'))
    .addOption(new Option('--policies <dir>', 'policies directory').env('JACKSTOP_POLICIES').default(DEFAULT_POLICIES_DIR))
    .addOption(
      new Option('--log-level <level>', 'pino log level')
        .env('JACKSTOP_LOG_LEVEL')
        .default('info')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    )
    .addOption(new Option('--body-limit <bytes>', 'largest request body accepted').env('JACKSTOP_BODY_LIMIT').default(DEFAULT_BODY_LIMIT).argParser(integer))
    .addOption(reviewBudgetOption())
    .addOption(new Option('--audit-only', 'dry run: refuse and patch nothing; log and warn instead').env('JACKSTOP_AUDIT_ONLY').default(false))
    .addOption(
      new Option('--max-connections <n>', 'open connections per replica; more are closed at once (jackstop_dropped_connections_total)')
        .env('JACKSTOP_MAX_CONNECTIONS')
        .default(MAX_CONNECTIONS)
        .argParser(integer),
    )
    .addOption(
      new Option('--keep-alive-timeout <ms>', "idle keep-alive connections close after this; keep it above the API server's 90 s")
        .env('JACKSTOP_KEEP_ALIVE_TIMEOUT')
        .default(KEEP_ALIVE_TIMEOUT_MS)
        .argParser(integer),
    )
    .addOption(
      new Option('--first-request-timeout <ms>', 'a new connection that sends no request within this (after TLS) is closed')
        .env('JACKSTOP_FIRST_REQUEST_TIMEOUT')
        .default(FIRST_REQUEST_TIMEOUT_MS)
        .argParser(integer),
    )
    .addOption(
      new Option('--drain-delay <ms>', 'on SIGTERM, keep serving this long with readiness off').env('JACKSTOP_DRAIN_DELAY').default(0).argParser(integer),
    )
    .action(async (options: ServeOptions) => serve(options))
}
