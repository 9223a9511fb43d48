// Shutdown without waiting out idle connections: HTTP/1.1 keep-alive sockets end after their
// current response, HTTP/2 sessions get a GOAWAY (their open streams still finish).
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2'
import type { TLSSocket } from 'node:tls'
import type { FastifyInstance } from 'fastify'

/** Tracks the server's connections; the returned `drain()` starts closing them, and so does `app.close()`. */
export function connectionDrainer(app: FastifyInstance): () => void {
  // HTTP/1.1 sockets and how many requests each has in flight.
  const sockets = new Map<TLSSocket, number>()
  const sessions = new Set<ServerHttp2Session>()
  let draining = false
  const server = app.server as unknown as Http2SecureServer
  server.on('secureConnection', (socket: TLSSocket) => {
    // An h2 socket belongs to its session: ending it under the session would skip the GOAWAY.
    if (socket.alpnProtocol === 'h2') return
    sockets.set(socket, 0)
    socket.on('close', () => sockets.delete(socket))
  })
  // A client may finish its handshake before the server has made the session, so a session can
  // appear after draining began (and after server.close(), which then waits for it): close it too.
  server.on('session', (session: ServerHttp2Session) => {
    if (draining) session.close()
    else {
      sessions.add(session)
      session.on('close', () => sessions.delete(session))
    }
  })
  const endIfIdle = (socket: TLSSocket) => {
    if (draining && sockets.get(socket) === 0) socket.end()
  }
  app.addHook('onRequest', async (request) => {
    const socket = request.raw.socket as TLSSocket
    if (sockets.has(socket)) sockets.set(socket, (sockets.get(socket) as number) + 1)
  })
  app.addHook('onResponse', async (request) => {
    const socket = request.raw.socket as TLSSocket
    if (!sockets.has(socket)) return
    sockets.set(socket, (sockets.get(socket) as number) - 1)
    endIfIdle(socket)
  })
  const drain = () => {
    draining = true
    for (const socket of sockets.keys()) endIfIdle(socket)
    // close() sends GOAWAY and lets streams in flight finish, unlike destroy().
    for (const session of sessions) session.close()
  }
  app.addHook('preClose', async () => drain())
  return drain
}
