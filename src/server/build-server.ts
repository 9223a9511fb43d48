// The webhook door: Fastify over TLS, HTTP/1.1 keep-alive (what the API server uses for
// webhooks behind a Service) with h2 offered through ALPN. No policy logic lives here.
import type { Http2SecureServer } from 'node:http2'
import type { Socket } from 'node:net'
import type { SecureContextOptions } from 'node:tls'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { decodeAdmissionReview } from '../admission/decode.ts'
import { type ReviewPhase, reviewAdmission } from '../admission/review.ts'
import { ADMISSION_API_VERSION, type AdmissionResponse } from '../admission/types.ts'
import { errorBody } from './error-reply.ts'
import { DEFAULT_BODY_LIMIT } from './limits.ts'
import { createMetrics, type JackstopMetrics } from './metrics.ts'
import type { PolicyStore } from './policy-store.ts'

export { DEFAULT_BODY_LIMIT }

export interface TlsMaterial {
  key: string
  cert: string
  /** Client CA: when set, the API server must present a certificate it signed (mTLS). */
  clientCa?: string | undefined
}

export interface ServerOptions {
  logger: Logger
  policies: PolicyStore
  tls: TlsMaterial
  auditOnly?: boolean
  bodyLimit?: number
  metrics?: JackstopMetrics
}

export interface ServerState {
  /** False once shutdown begins, so the Service stops sending new reviews here. */
  ready: boolean
  /**
   * Ends HTTP/1.1 keep-alive connections once their current response is sent, so `close()`
   * does not wait out the keep-alive timeout. (Fastify's close sends HTTP/2 sessions GOAWAY.)
   */
  drain(): void
}

export type JackstopServer = FastifyInstance & { jackstop: ServerState; metrics: JackstopMetrics }

export function secureContextOptions(tls: TlsMaterial): SecureContextOptions & { requestCert?: boolean; rejectUnauthorized?: boolean } {
  return {
    key: tls.key,
    cert: tls.cert,
    minVersion: 'TLSv1.2',
    ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
  }
}

function reviewEnvelope(response: AdmissionResponse) {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response }
}

export function buildServer(options: ServerOptions): JackstopServer {
  const { logger, policies } = options
  const auditOnly = options.auditOnly ?? false
  const metrics = options.metrics ?? createMetrics()
  const app = Fastify({
    loggerInstance: logger,
    // One decision line per review is logged by the route; per-request lines would double the cost.
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    http2: true,
    // tls.Server leaves Nagle's algorithm on; small review answers must not wait for an ACK.
    https: { allowHTTP1: true, noDelay: true, ...secureContextOptions(options.tls) },
    return503OnClosing: true,
  }) as unknown as FastifyInstance
  // AdmissionReviews are JSON; a text body is a misconfigured client, answered with 415.
  app.removeContentTypeParser('text/plain')
  // HTTP/1.1 sockets and how many requests each has in flight.
  const sockets = new Map<Socket, number>()
  let draining = false
  const server = app.server as unknown as Http2SecureServer
  server.on('secureConnection', (socket: Socket) => {
    sockets.set(socket, 0)
    socket.on('close', () => sockets.delete(socket))
  })
  const endIfIdle = (socket: Socket) => {
    if (draining && sockets.get(socket) === 0) socket.end()
  }
  app.addHook('onRequest', async (request) => {
    const { socket } = request.raw
    if (sockets.has(socket)) sockets.set(socket, (sockets.get(socket) as number) + 1)
  })
  app.addHook('onResponse', async (request) => {
    const { socket } = request.raw
    if (!sockets.has(socket)) return
    sockets.set(socket, (sockets.get(socket) as number) - 1)
    endIfIdle(socket)
  })
  const state: ServerState = {
    ready: true,
    drain: () => {
      draining = true
      for (const socket of sockets.keys()) endIfIdle(socket)
    },
  }
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
    void reply.code(404).send({
      statusCode: 404,
      error: 'JACKSTOP_ERR_NOT_FOUND',
      message: `${request.method} ${request.url.split('?')[0]} is not served; POST /validate or /mutate`,
    })
  })

  const route = (phase: ReviewPhase, audit: boolean) => async (request: { body: unknown }) => {
    const admission = decodeAdmissionReview(request.body)
    const started = process.hrtime.bigint()
    try {
      const { response, record, decision } = reviewAdmission(admission, policies.current(), { phase, auditOnly: audit })
      metrics.reviewSeconds.observe({ phase }, Number(process.hrtime.bigint() - started) / 1e9)
      metrics.reviews.inc({
        phase,
        operation: record.operation,
        kind: record.kind,
        decision: response.allowed ? (response.patch === undefined ? 'allowed' : 'patched') : 'denied',
      })
      for (const finding of record.findings) metrics.findings.inc({ policy: finding.policy, action: finding.action })
      if (response.patch !== undefined) for (const mutation of decision.mutations) metrics.mutations.inc({ policy: mutation.policy })
      // Findings and dry runs are what operators read; a routine mutation is debug detail.
      if (audit || record.findings.length > 0) logger.info({ decision: record }, 'admission decision')
      else if (record.patch.length > 0) logger.debug({ decision: record }, 'admission decision')
      return reviewEnvelope(response)
    } catch (error) {
      if ((error as FastifyError).statusCode === 400) throw error
      // A bug must not admit what it could not check: answer with a refusal, log the stack once.
      logger.error({ err: error, uid: admission.uid }, 'review failed; refusing the request')
      metrics.reviews.inc({ phase, operation: admission.operation, kind: admission.kind.kind, decision: 'error' })
      return reviewEnvelope({
        uid: admission.uid,
        allowed: false,
        status: { code: 500, message: 'jackstop could not review this request and refuses it (fail closed); see the jackstop log' },
      })
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
