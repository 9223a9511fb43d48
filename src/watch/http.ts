// The controller's small plain-HTTP port: /healthz (the process answers), /readyz (informers
// have listed everything once), /metrics (Prometheus). No TLS: nothing here is secret and the
// port is for the kubelet and the scraper inside the cluster.
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export async function startProbeServer(options: {
  host: string
  port: number
  ready(): boolean
  registry: Registry
}): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    /* c8 ignore next: node's http server always sets url on the requests it hands over */
    const path = (request.url ?? '/').split('?')[0]
    if (path === '/healthz') return response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
    if (path === '/readyz') {
      const ready = options.ready()
      return response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ok\n' : 'informers not synced\n')
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        /* c8 ignore next: prom-client only rejects when a collect callback throws, and ours do not */
        () => response.writeHead(500).end(),
      )
      return
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
  })
  server.listen(options.port, options.host)
  await once(server, 'listening')
  return { server, port: (server.address() as AddressInfo).port }
}
