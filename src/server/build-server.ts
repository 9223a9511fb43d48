// The webhook door: Fastify over TLS, HTTP/1.1 keep-alive (what the API server uses for
// webhooks behind a Service) with h2 offered through ALPN. No policy logic lives here.
import type { Http2SecureServer } from 'node:http2'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { decodeAdmissionReview } from '../admission/decode.ts'
import { type ReviewPhase, reviewAdmission } from '../admission/review.ts'
import { ADMISSION_API_VERSION, type AdmissionResponse } from '../admission/types.ts'
import { ReviewFailedError, RouteNotFoundError } from '../errors.ts'
import { trackConnections } from './connections.ts'
import { errorBody } from './error-reply.ts'
import { DEFAULT_BODY_LIMIT } from './limits.ts'
import { createMetrics, type JackstopMetrics } from './metrics.ts'
import type { PolicyStore } from './policy-store.ts'
import { DEFAULT_TRANSPORT_LIMITS, secureContextOptions, type TlsMaterial, type TransportLimits } from './transport.ts'

export { secureContextOptions, type TlsMaterial } from './transport.ts'

export { DEFAULT_BODY_LIMIT }

export interface ServerOptions {
  logger: Logger
  policies: PolicyStore
  tls: TlsMaterial
  auditOnly?: boolean
  bodyLimit?: number
  /** `--review-budget`: characters the scanners may read per review. */
  reviewBudget?: number | undefined
  metrics?: JackstopMetrics
  /** Socket limits (transport.ts); each one left out keeps its default. */
  transport?: Partial<TransportLimits>
}

export interface ServerState {
  /** False once shutdown begins, so the Service stops sending new reviews here. */
  ready: boolean
  /**
   * Ends HTTP/1.1 keep-alive connections once their current response is sent and sends HTTP/2
   * sessions a GOAWAY, so `close()` does not wait out the keep-alive timeout. `close()` drains too.
   */
  drain(): void
}

export type JackstopServer = FastifyInstance & { jackstop: ServerState; metrics: JackstopMetrics }

function reviewEnvelope(response: AdmissionResponse) {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response }
}

export function buildServer(options: ServerOptions): JackstopServer {
  const { logger, policies } = options
  const auditOnly = options.auditOnly ?? false
  const metrics = options.metrics ?? createMetrics()
  const limits: TransportLimits = { ...DEFAULT_TRANSPORT_LIMITS, ...options.transport }
  const app = Fastify({
    loggerInstance: logger,
    // One decision line per review is logged by the route; per-request lines would double the cost.
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    http2: true,
    http2SessionTimeout: limits.keepAliveTimeout,
    https: {
      allowHTTP1: true,
      // tls.Server leaves Nagle's algorithm on; small review answers must not wait for an ACK.
      noDelay: true,
      handshakeTimeout: limits.handshakeTimeout,
      ...secureContextOptions(options.tls),
      // An http.Server option the HTTP/1.1 side of the h2 server honours; its types leave it out.
      ...({ connectionsCheckingInterval: limits.connectionsCheckInterval } as object),
    },
    return503OnClosing: true,
  }) as unknown as FastifyInstance
  // AdmissionReviews are JSON; a text body is a misconfigured client, answered with 415.
  app.removeContentTypeParser('text/plain')
  // Fastify sets its HTTP/1.1 timeouts only on an HTTP/1.1-only server; this one also speaks h2.
  const server = app.server as unknown as Http2SecureServer & {
    headersTimeout: number
    requestTimeout: number
    keepAliveTimeout: number
    maxConnections: number
  }
  server.headersTimeout = limits.headersTimeout
  server.requestTimeout = limits.requestTimeout
  server.keepAliveTimeout = limits.keepAliveTimeout
  server.maxConnections = limits.maxConnections
  const connections = trackConnections(server, limits, metrics)
  const state: ServerState = { ready: true, drain: connections.drain }
  // Shutdown must not wait out idle keep-alive connections and HTTP/2 sessions.
  app.addHook('preClose', async () => connections.drain())
  app.decorate('jackstop', state)
  app.decorate('metrics', metrics)

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = errorBody(error)
    if (body.statusCode >= 500) request.log.error({ err: error }, 'unexpected error')
    // Fastify asks HTTP/1.1 clients to reconnect after a bad body; HTTP/2 has no such header.
    if (request.raw.httpVersionMajor === 2) reply.removeHeader('connection')
    void reply.code(body.statusCode).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody(new RouteNotFoundError(request.method, request.url.split('?')[0] as string)))
  })

  const route = (phase: ReviewPhase, audit: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const decoded = decodeAdmissionReview(request.body)
    if (decoded.error !== undefined) return reply.code(decoded.error.statusCode).send(errorBody(decoded.error))
    const admission = decoded.request
    const started = performance.now()
    try {
      const { response, record, decision } = reviewAdmission(admission, policies.current(), { phase, auditOnly: audit, reviewBudget: options.reviewBudget })
      metrics.reviewSeconds.observe(phase, (performance.now() - started) / 1e3)
      const { tally } = metrics
      tally.reviews.add(phase, record.operation, record.kind, response.allowed ? (response.patch === undefined ? 'allowed' : 'patched') : 'denied')
      for (const finding of record.findings) tally.findings.add(finding.policy, finding.action)
      if (response.patch !== undefined) for (const mutation of decision.mutations) tally.mutations.add(mutation.policy)
      // Findings and dry runs are what operators read; a routine mutation is debug detail.
      if (audit || record.findings.length > 0) logger.info({ decision: record }, 'admission decision')
      else if (record.patch.length > 0) logger.debug({ decision: record }, 'admission decision')
      return reviewEnvelope(response)
    } catch (error) {
      // A bug must not admit what it could not check: answer with a refusal, log the stack once.
      const failed = new ReviewFailedError()
      logger.error({ err: error, uid: admission.uid, code: failed.code }, 'review failed; refusing the request')
      metrics.reviews.inc({ phase, operation: admission.operation, kind: admission.kind.kind, decision: 'error' })
      return reviewEnvelope({ uid: admission.uid, allowed: false, status: { code: failed.statusCode, message: failed.message } })
    }
  }
  app.post('/validate', route('validate', auditOnly))
  app.post('/mutate', route('mutate', auditOnly))
  // Namespaces labelled for audit mode are sent here by a second webhook entry: no restart needed.
  app.post('/validate/audit', route('validate', true))
  app.post('/mutate/audit', route('mutate', true))

  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()))
  app.get('/readyz', async (_request, reply) => {
    if (!state.ready) return reply.code(503).send({ status: 'shutting down' })
    return { status: 'ready', policies: policies.current().policies.length }
  })
  return app as JackstopServer
}
