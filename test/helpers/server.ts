// Starts the real server on loopback over TLS and talks to it with real HTTPS requests.
import { once } from 'node:events'
import { connect } from 'node:http2'
import { Agent, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import pino, { type Logger } from 'pino'
import { createCertificateAuthority, issueServingCertificate, type KeyPairPem } from '../../src/certs/issue.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { buildServer, type JackstopServer, type ServerOptions } from '../../src/server/build-server.ts'
import { staticPolicyStore } from '../../src/server/policy-store.ts'

export const DEFAULT_POLICIES = new URL('../../policies/', import.meta.url).pathname

let pki: { ca: KeyPairPem; serving: KeyPairPem } | undefined

/** One CA and serving certificate per test process: RSA key generation is the slow part. */
export function testPki(): { ca: KeyPairPem; serving: KeyPairPem } {
  if (pki === undefined) {
    const ca = createCertificateAuthority('jackstop-test-ca')
    pki = { ca, serving: issueServingCertificate(ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }) }
  }
  return pki
}

/** A pino logger whose lines the test can read. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>)
      callback()
    },
  })
  return { logger: pino({ level: 'info' }, stream), lines }
}

export interface RunningServer {
  app: JackstopServer
  url: string
  port: number
  lines: Record<string, unknown>[]
  agent: Agent
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResult>
  get(path: string): Promise<HttpResult>
  close(): Promise<void>
}

export interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown> & { response?: Record<string, unknown> }
  text: string
}

let defaultPolicySet: Promise<PolicySet> | undefined
export function defaultPolicies(): Promise<PolicySet> {
  defaultPolicySet ??= loadPolicySet(DEFAULT_POLICIES)
  return defaultPolicySet
}

export async function startServer(options: Partial<Omit<ServerOptions, 'logger' | 'tls'>> & { policySet?: PolicySet } = {}): Promise<RunningServer> {
  const { logger, lines } = captureLogger()
  const { serving, ca } = testPki()
  const policies = options.policies ?? staticPolicyStore(options.policySet ?? (await defaultPolicies()))
  const app = buildServer({ ...options, logger, policies, tls: { key: serving.keyPem, cert: serving.certPem } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  const agent = new Agent({ keepAlive: true, ca: ca.certPem, maxSockets: 4 })
  const send = (method: string, path: string, payload: string | Buffer | undefined, headers: Record<string, string>) =>
    new Promise<HttpResult>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, agent, headers, servername: 'localhost' }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString()
          let body: HttpResult['body'] = {}
          try {
            body = JSON.parse(text) as HttpResult['body']
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  return {
    app,
    url: `https://127.0.0.1:${port}`,
    port,
    lines,
    agent,
    post: (path, body, headers = {}) => {
      const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body)
      return send('POST', path, payload, { 'content-type': 'application/json', ...headers })
    },
    get: (path) => send('GET', path, undefined, {}),
    close: async () => {
      agent.destroy()
      await app.close()
    },
  }
}

/** One request over HTTP/2, negotiated through ALPN. */
export async function postHttp2(port: number, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const session = connect(`https://localhost:${port}`, { ca: testPki().ca.certPem })
  try {
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' })
    stream.end(JSON.stringify(body))
    const [headers] = (await once(stream, 'response')) as [Record<string, string | number>]
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    return { status: Number(headers[':status']), body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }
  } finally {
    session.close()
  }
}
