import { once } from 'node:events'
import { connect } from 'node:http2'
import { request } from 'node:https'
import t from 'tap'
import { issueServingCertificate } from '../../src/certs/issue.ts'
import { buildServer } from '../../src/server/build-server.ts'
import { staticPolicyStore } from '../../src/server/policy-store.ts'
import { captureLogger, defaultPolicies, startServer, testPki } from '../helpers/server.ts'

t.test('with a client CA, only callers with a certificate it signed are served (mTLS)', async (t) => {
  const { ca, serving } = testPki()
  const client = issueServingCertificate(ca, { dnsNames: ['kube-apiserver'], usage: 'client' })
  const { logger } = captureLogger()
  const app = buildServer({
    logger,
    policies: staticPolicyStore(await defaultPolicies()),
    tls: { key: serving.keyPem, cert: serving.certPem, clientCa: ca.certPem },
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const { port } = app.server.address() as { port: number }
  const get = (withCert: boolean) =>
    new Promise<string>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/healthz',
          ca: ca.certPem,
          servername: 'localhost',
          ...(withCert ? { cert: client.certPem, key: client.keyPem } : {}),
        },
        (res) => resolve(`status ${res.statusCode}`),
      )
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
      req.end()
    })
  t.equal(await get(true), 'status 200')
  t.not(await get(false), 'status 200')
})

t.test('readiness fails once shutdown begins, while health stays ok', async (t) => {
  const server = await startServer()
  t.teardown(server.close)
  server.app.jackstop.ready = false
  const ready = await server.get('/readyz')
  t.same({ status: ready.status, body: ready.body }, { status: 503, body: { status: 'shutting down' } })
  t.equal((await server.get('/healthz')).status, 200)
  // Draining ends the idle keep-alive connection; with no HTTP/2 session there is nothing else to close.
  const [idle] = Object.values(server.agent.freeSockets).flat()
  t.ok(idle, 'an idle keep-alive connection is open')
  const closed = once(idle as NonNullable<typeof idle>, 'close')
  server.app.jackstop.drain()
  await closed
  t.pass('the server closed it')
})

/** Fails with `what` unless `promise` settles within `ms`: a hang is reported, not waited out. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

t.test('closing sends an idle HTTP/2 session a GOAWAY at once, even one whose handshake races the close', async (t) => {
  const server = await startServer()
  const session = connect(`https://localhost:${server.port}`, { ca: testPki().ca.certPem })
  t.teardown(() => session.destroy())
  // The client's handshake may complete before the server has made its session: close right then.
  await once(session, 'connect')
  const goaway = once(session, 'goaway')
  const closed = server.close()
  const [code] = (await within(5000, 'GOAWAY', goaway)) as [number]
  t.equal(code, 0, 'NO_ERROR: a graceful goodbye')
  await within(5000, 'server close', closed)
})

t.test('draining sends GOAWAY to HTTP/2 sessions that have served reviews; the server keeps listening', async (t) => {
  const server = await startServer()
  t.teardown(server.close)
  const session = connect(`https://localhost:${server.port}`, { ca: testPki().ca.certPem })
  t.teardown(() => session.destroy())
  const stream = session.request({ ':path': '/healthz' })
  stream.resume()
  await once(stream, 'end')
  const goaway = once(session, 'goaway')
  server.app.jackstop.drain()
  await within(5000, 'GOAWAY', goaway)
  t.equal((await server.get('/healthz')).status, 200, 'new HTTP/1.1 requests are still answered until close')
})

t.test('an internal error answers 500 without details and logs them once', async (t) => {
  const server = await startServer({
    policies: {
      current: () => {
        throw new Error('policy store unavailable')
      },
    },
  })
  t.teardown(server.close)
  const result = await server.get('/readyz')
  t.same(
    { status: result.status, body: result.body },
    { status: 500, body: { statusCode: 500, error: 'JACKSTOP_ERR_INTERNAL', message: 'internal error; see the jackstop log' } },
  )
  t.match(server.lines.at(-1), { level: 50, msg: 'unexpected error', err: { message: 'policy store unavailable' } })
})

t.test('malformed JSON over HTTP/2 gets the same 400', async (t) => {
  const server = await startServer()
  t.teardown(server.close)
  const session = connect(`https://localhost:${server.port}`, { ca: testPki().ca.certPem })
  t.teardown(() => session.close())
  const stream = session.request({ ':method': 'POST', ':path': '/validate', 'content-type': 'application/json' })
  stream.end('{oops')
  const [headers] = (await once(stream, 'response')) as [Record<string, unknown>]
  let text = ''
  for await (const chunk of stream) text += String(chunk)
  t.equal(headers[':status'], 400)
  t.equal(headers.connection, undefined)
  t.match(JSON.parse(text), { error: 'FST_ERR_CTP_INVALID_JSON_BODY' })
})
