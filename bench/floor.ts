// The no-op floor: Fastify with the webhook's logger, TLS, HTTP/1.1-beside-h2 and body parsing,
// answering allowed without a review. What jackstop adds is measured against it.
import Fastify from 'fastify'
import type { Logger } from 'pino'
import { DEFAULT_BODY_LIMIT, secureContextOptions, type TlsMaterial } from '../src/server/build-server.ts'

export function floorServer(logger: Logger, tls: TlsMaterial) {
  const app = Fastify({
    loggerInstance: logger,
    logController: new Fastify.LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    http2: true,
    https: { allowHTTP1: true, noDelay: true, ...secureContextOptions(tls) },
  })
  const answer = async (request: { body: unknown }) => {
    const uid = (request.body as { request: { uid: string } }).request.uid
    return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } }
  }
  app.post('/validate', answer)
  app.post('/mutate', answer)
  return app
}
