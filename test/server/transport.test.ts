// Transport limits over real sockets (issue 10): silent and slow connections are closed, the
// connection count is capped and counted, and TLS offers only forward-secret AEAD suites.
// Limits are configured short here; their production values are in src/server/transport.ts.
import { once } from 'node:events'
import { connect as connectHttp2 } from 'node:http2'
import { connect as connectTcp, type Socket } from 'node:net'
import { type ConnectionOptions, connect as connectTls, type TLSSocket } from 'node:tls'
import t from 'tap'
import { KEEP_ALIVE_TIMEOUT_MS, TLS12_CIPHERS } from '../../src/server/transport.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { type RunningServer, startServer, testPki } from '../helpers/server.ts'

// Deadlines fail the test instead of hanging it when a limit does not fire.
const DEADLINE = { timeout: 10_000 }

function tlsOptions(server: RunningServer, extra: ConnectionOptions = {}): ConnectionOptions {
  return { host: '127.0.0.1', port: server.port, ca: testPki().ca.certPem, servername: 'localhost', ALPNProtocols: ['http/1.1'], ...extra }
}

/** Resolves with the negotiated protocol and suite, or the error that ended the handshake. */
function handshake(server: RunningServer, extra: ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = connectTls(tlsOptions(server, extra), () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().standardName}`)
      socket.end()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused: ${error.code}`))
  })
}

async function openTls(server: RunningServer): Promise<TLSSocket> {
  const socket = connectTls(tlsOptions(server))
  await once(socket, 'secureConnect')
  return socket
}

async function metric(server: RunningServer, line: RegExp): Promise<string | undefined> {
  return (await server.get('/metrics')).text.split('\n').find((text) => line.test(text))
}

t.test('a TLS connection that never sends a request is closed and counted', DEADLINE, async (t) => {
  const server = await startServer({ transport: { firstRequestTimeout: 200 } })
  t.teardown(server.close)
  const silent = await openTls(server)
  await once(silent, 'close')
  t.equal(await metric(server, /^jackstop_dropped_connections_total\{reason="no-request"\}/), 'jackstop_dropped_connections_total{reason="no-request"} 1')
})

t.test('an HTTP/2 session that never opens a stream is closed', DEADLINE, async (t) => {
  const server = await startServer({ transport: { firstRequestTimeout: 200 } })
  t.teardown(server.close)
  const session = connectHttp2(`https://localhost:${server.port}`, { ca: testPki().ca.certPem })
  session.on('error', () => {})
  await once(session, 'close')
  t.equal(await metric(server, /^jackstop_dropped_connections_total\{reason="no-request"\}/), 'jackstop_dropped_connections_total{reason="no-request"} 1')
})

t.test('a connection that never finishes its TLS handshake is closed', DEADLINE, async (t) => {
  const server = await startServer({ transport: { handshakeTimeout: 200 } })
  t.teardown(server.close)
  const socket: Socket = connectTcp(server.port, '127.0.0.1')
  await once(socket, 'close')
  t.pass('closed by the server')
})

t.test('a keep-alive connection that sends its next headers slowly is closed', DEADLINE, async (t) => {
  const server = await startServer({ transport: { headersTimeout: 200, connectionsCheckInterval: 50 } })
  t.teardown(server.close)
  const socket = await openTls(server)
  let received = ''
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString()
  })
  socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n')
  while (!received.includes('{"status":"ok"}')) await once(socket, 'data')
  // One header line, then nothing more: the slowloris pattern.
  socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n')
  const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 20)
  t.teardown(() => clearInterval(trickle))
  // Our next trickled write may meet the closed socket (ECONNRESET); only the close matters.
  socket.on('error', () => {})
  await new Promise((resolve) => socket.once('close', resolve))
  t.pass('closed by the server while the headers were still arriving')
})

t.test('idle keep-alive outlasts the API server client idle timeout of 90 s and says so', async (t) => {
  t.ok(KEEP_ALIVE_TIMEOUT_MS > 90_000)
  const server = await startServer()
  t.teardown(server.close)
  const { headers } = await server.post('/validate', admissionReview({ object: replicaSetPod([{ name: 'web', image: 'nginx:1.27' }]) }))
  t.equal(headers['keep-alive'], `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`)
})

t.test('connections past the cap are closed at once, counted, and the open ones keep working', DEADLINE, async (t) => {
  const server = await startServer({ transport: { maxConnections: 2 } })
  t.teardown(server.close)
  // The test client's keep-alive pool holds one connection for the metric reads below.
  t.match(await metric(server, /^jackstop_open_connections /), 'jackstop_open_connections 1')
  const held = await openTls(server)
  t.teardown(() => held.destroy())
  const outcome = await handshake(server, {})
  t.match(outcome, /^refused: (ECONNRESET|EPIPE)$|^refused: undefined$/)
  t.equal(
    await metric(server, /^jackstop_dropped_connections_total\{reason="max-connections"\}/),
    'jackstop_dropped_connections_total{reason="max-connections"} 1',
  )
  t.equal(await metric(server, /^jackstop_open_connections /), 'jackstop_open_connections 2')
})

t.test('TLS 1.3 is negotiated by a current client', async (t) => {
  const server = await startServer()
  t.teardown(server.close)
  t.equal(await handshake(server, {}), 'TLSv1.3 TLS_AES_128_GCM_SHA256')
})

t.test('TLS 1.2 offers only ECDHE with AEAD: static RSA and CBC suites are refused', async (t) => {
  const server = await startServer()
  t.teardown(server.close)
  const tls12 = { maxVersion: 'TLSv1.2' } as const
  t.equal(await handshake(server, { ...tls12, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }), 'TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')
  t.equal(await handshake(server, { ...tls12, ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' }), 'TLSv1.2 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256')
  for (const weak of ['AES128-SHA', 'AES256-SHA256', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
    t.match(await handshake(server, { ...tls12, ciphers: weak }), /^refused: /, weak)
  }
  t.match(await handshake(server, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1.1' }), /^refused: /, 'TLS 1.1')
  t.ok(TLS12_CIPHERS.every((suite) => suite.startsWith('ECDHE-') && /GCM|CHACHA20-POLY1305/.test(suite)))
})
