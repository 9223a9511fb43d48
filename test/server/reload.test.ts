import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { join } from 'node:path'
import type { TLSSocket, Server as TlsServer } from 'node:tls'
import t from 'tap'
import { createCertificateAuthority, issueServingCertificate } from '../../src/certs/issue.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { buildServer, secureContextOptions } from '../../src/server/build-server.ts'
import { reloadablePolicyStore } from '../../src/server/policy-store.ts'
import { watchCertificate, watchPolicies } from '../../src/server/reload.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { captureLogger, startServer } from '../helpers/server.ts'

const privileged = `id: privileged
description: no privileged containers
severity: critical
action: deny
target: container
message: privileged containers can take over the node
schema:
  properties:
    securityContext:
      properties:
        privileged: { not: { const: true } }
`
const noLatest = `id: no-latest
description: pinned images only
severity: low
action: deny
target: container
message: uses the latest tag
schema:
  properties:
    image: { not: { pattern: ":latest$" } }
`

let generation = 0
/** Updates a directory the way the kubelet updates a ConfigMap or Secret mount: one symlink swap. */
function kubeletSwap(dir: string, files: Record<string, string>): void {
  generation += 1
  const version = `..${generation}_${Date.now()}`
  mkdirSync(join(dir, version))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, version, name), content)
  symlinkSync(version, join(dir, '..data_tmp'))
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'))
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(join('..data', name), join(dir, name))
    } catch {}
  }
}

/** Sends reviews back to back until stopped; counts every answer that is not a 200 review. */
function keepReviewing(post: () => Promise<{ status: number; body: { response?: unknown } }>) {
  let running = true
  const failures: string[] = []
  let sent = 0
  const loop = (async () => {
    while (running) {
      sent += 1
      const result = await post().catch((error: Error) => ({ status: 0, body: { error: error.message } }) as never)
      if (result.status !== 200 || result.body.response === undefined) failures.push(JSON.stringify(result))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return { sent, failures }
    },
  }
}

const waitFor = async (condition: () => Promise<boolean>) => {
  for (let attempt = 0; attempt < 100; attempt++) {
    // A probe that fails is retried; the reviews sent under load are what must never fail.
    if (await condition().catch(() => false)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

t.test('a changed policies directory applies without a restart; a broken one is refused; no request fails', async (t) => {
  const dir = t.testdir()
  kubeletSwap(dir, { 'privileged.yaml': privileged })
  const store = reloadablePolicyStore(await loadPolicySet(dir))
  const server = await startServer({ policies: store })
  const reloader = watchPolicies({ dir, store, logger: server.app.log as never, metrics: server.app.metrics, settleMs: 50 })
  t.teardown(async () => {
    reloader.close()
    await server.close()
  })
  const latestPod = admissionReview({ object: replicaSetPod([{ name: 'c', image: 'nginx:latest' }]) })
  const load = keepReviewing(() => server.post('/validate', latestPod))
  t.equal((await server.post('/validate', latestPod)).body.response?.allowed, true)

  kubeletSwap(dir, { 'privileged.yaml': privileged, 'no-latest.yaml': noLatest })
  t.ok(await waitFor(async () => (await server.post('/validate', latestPod)).body.response?.allowed === false), 'the new policy applies')

  kubeletSwap(dir, { 'privileged.yaml': privileged, 'no-latest.yaml': noLatest.replace('action: deny', 'action: block') })
  t.ok(await waitFor(async () => (await server.get('/metrics')).text.includes('jackstop_policy_reloads_total{result="failure"} 1')), 'the refusal is counted')
  t.equal((await server.post('/validate', latestPod)).body.response?.allowed, false, 'the last good set keeps serving')
  const { sent, failures } = await load.stop()
  t.ok(sent > 10, `${sent} reviews sent during the reloads`)
  t.same(failures, [])
})

t.test('a rotated certificate is served to new connections without a restart or a failed request', async (t) => {
  const oldCa = createCertificateAuthority('old-ca')
  const newCa = createCertificateAuthority('new-ca')
  const oldCert = issueServingCertificate(oldCa, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] })
  const newCert = issueServingCertificate(newCa, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] })
  const dir = t.testdir()
  kubeletSwap(dir, { 'tls.crt': oldCert.certPem, 'tls.key': oldCert.keyPem })
  const { logger } = captureLogger()
  const policies = reloadablePolicyStore(await loadPolicySet(new URL('../../policies/', import.meta.url).pathname))
  const app = buildServer({ logger, policies, tls: { cert: oldCert.certPem, key: oldCert.keyPem } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const reloader = watchCertificate({
    files: { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') },
    contextOptions: (material) => secureContextOptions(material),
    apply: (context) => (app.server as unknown as TlsServer).setSecureContext(context),
    logger,
    metrics: app.metrics,
    settleMs: 50,
  })
  t.teardown(async () => {
    reloader.close()
    await app.close()
  })
  const review = JSON.stringify(admissionReview({ object: replicaSetPod([{ name: 'c', image: 'nginx:1.27' }]) }))
  // A new connection each time, trusting both CAs, as the API server does across a caBundle update.
  const post = () =>
    new Promise<{ status: number; body: { response?: unknown }; issuer: string }>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/validate',
          method: 'POST',
          ca: [oldCa.certPem, newCa.certPem],
          agent: false,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), issuer: (res.socket as TLSSocket).getPeerCertificate().issuer.CN as string }),
          )
        },
      )
      req.on('error', reject)
      req.end(review)
    })
  t.equal((await post()).issuer, 'old-ca')
  const load = keepReviewing(post)
  kubeletSwap(dir, { 'tls.crt': newCert.certPem, 'tls.key': newCert.keyPem })
  t.ok(await waitFor(async () => (await post()).issuer === 'new-ca'), 'new connections get the new certificate')
  // A certificate that does not match its key is refused; the good one keeps serving.
  kubeletSwap(dir, { 'tls.crt': oldCert.certPem, 'tls.key': newCert.keyPem })
  t.ok(await waitFor(async () => (await reloader.reload()) === false))
  t.equal((await post()).issuer, 'new-ca')
  const { sent, failures } = await load.stop()
  t.ok(sent > 5, `${sent} reviews sent across the rotation`)
  t.same(failures, [])
})

t.test('metrics count reviews, findings and mutations, time reviews in sub-millisecond buckets and expose process metrics', async (t) => {
  const server = await startServer()
  t.teardown(server.close)
  await server.post('/validate', admissionReview({ object: replicaSetPod([{ name: 'c', image: 'xmrig/xmrig' }]) }))
  await server.post('/mutate', admissionReview({ object: replicaSetPod([{ name: 'c', image: 'nginx:1.27' }]) }))
  server.app.metrics.certificateExpiry.set(1_900_000_000)
  const { status, headers, text } = await server.get('/metrics')
  t.equal(status, 200)
  t.match(headers['content-type'], /^text\/plain/)
  t.match(text, 'jackstop_admission_reviews_total{phase="validate",operation="CREATE",kind="Pod",decision="denied"} 1')
  t.match(text, 'jackstop_admission_reviews_total{phase="mutate",operation="CREATE",kind="Pod",decision="patched"} 1')
  t.match(text, 'jackstop_findings_total{policy="miner-images",action="deny"} 1')
  t.match(text, 'jackstop_mutations_total{policy="drop-capabilities"} 1')
  t.match(text, 'jackstop_review_duration_seconds_bucket{le="0.0001",phase="validate"}')
  t.match(text, 'jackstop_certificate_expiry_timestamp_seconds 1900000000')
  t.match(text, 'process_cpu_user_seconds_total')
})
