// The life of every connection to the webhook: counted, closed if it sends no request in time,
// and ended gracefully on shutdown (HTTP/1.1 once its response is sent, HTTP/2 with a GOAWAY).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Http2SecureServer, Http2ServerRequest, Http2Session } from 'node:http2'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import type { JackstopMetrics } from './metrics.ts'
import type { TransportLimits } from './transport.ts'

export interface ConnectionTracker {
  /** Ends idle HTTP/1.1 connections now and busy ones after their response; sends HTTP/2 sessions a GOAWAY. */
  drain(): void
}

interface Http1Connection {
  socket: Socket
  inFlight: number
  /** Cleared by the first request; until then the socket has this long to send one. */
  firstRequest: NodeJS.Timeout | undefined
}

const CONNECTION = Symbol('jackstop connection')
type TrackedResponse = ServerResponse & { [CONNECTION]: Http1Connection }

function deadline(ms: number, onExpiry: () => void): NodeJS.Timeout {
  const timer = setTimeout(onExpiry, ms)
  // A pending deadline must not keep the process alive after the server closed.
  timer.unref()
  return timer
}

export function trackConnections(server: Http2SecureServer, limits: TransportLimits, metrics: JackstopMetrics): ConnectionTracker {
  const http1 = new Map<Socket, Http1Connection>()
  const sessions = new Set<Http2Session>()
  let draining = false

  const endIfIdle = (connection: Http1Connection) => {
    if (draining && connection.inFlight === 0) connection.socket.end()
  }

  server.on('connection', (socket: Socket) => {
    metrics.openConnections.inc()
    socket.once('close', () => metrics.openConnections.dec())
  })
  // net.Server closes connections past maxConnections and says so with 'drop'.
  server.on('drop', () => metrics.droppedConnections.inc({ reason: 'max-connections' }))

  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.alpnProtocol === 'h2') return
    const connection: Http1Connection = {
      socket,
      inFlight: 0,
      firstRequest: deadline(limits.firstRequestTimeout, () => {
        metrics.droppedConnections.inc({ reason: 'no-request' })
        socket.destroy()
      }),
    }
    http1.set(socket, connection)
    socket.once('close', () => {
      clearTimeout(connection.firstRequest)
      http1.delete(socket)
    })
  })

  server.on('session', (session: Http2Session) => {
    sessions.add(session)
    let firstStream: NodeJS.Timeout | undefined = deadline(limits.firstRequestTimeout, () => {
      metrics.droppedConnections.inc({ reason: 'no-request' })
      session.destroy()
    })
    const clear = () => {
      clearTimeout(firstStream)
      firstStream = undefined
    }
    session.once('stream', clear)
    session.once('close', () => {
      clear()
      sessions.delete(session)
    })
    if (draining) session.close()
  })

  // One listener shared by every response (no closure per request): the response carries its connection.
  function responseClosed(this: TrackedResponse): void {
    const connection = this[CONNECTION]
    connection.inFlight -= 1
    endIfIdle(connection)
  }

  // Runs before Fastify's handler; an HTTP/2 request's socket is its session's, tracked above.
  server.prependListener('request', (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | unknown) => {
    const connection = http1.get(request.socket as Socket)
    if (connection === undefined) return
    if (connection.firstRequest !== undefined) {
      clearTimeout(connection.firstRequest)
      connection.firstRequest = undefined
    }
    connection.inFlight += 1
    const tracked = response as TrackedResponse
    tracked[CONNECTION] = connection
    tracked.on('close', responseClosed)
  })

  return {
    drain: () => {
      draining = true
      for (const connection of http1.values()) endIfIdle(connection)
      for (const session of sessions) session.close()
    },
  }
}
