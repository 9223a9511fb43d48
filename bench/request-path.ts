// The request path's own work over the mixed corpus, in this process: no transport, no noise
// from the other tenants' scheduling in the figure (the fastest of 40 batches is quoted), and
// the bytes each review allocates (what the garbage collector pays for later). The last rows
// send the corpus through Fastify's inject (routing, body parsing, the route with its metrics
// and logging, the answer's JSON; no TLS, no socket) to jackstop and to the no-op floor.
import v8 from 'node:v8'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { objectShapeProblem } from '../src/admission/object-shape.ts'
import { reviewAdmission } from '../src/admission/review.ts'
import type { AdmissionRequest } from '../src/admission/types.ts'
import type { PolicySet } from '../src/engine/types.ts'
import { loadPolicySet } from '../src/policy/load.ts'
import { buildServer } from '../src/server/build-server.ts'
import { staticPolicyStore } from '../src/server/policy-store.ts'
import { testPki } from '../test/helpers/server.ts'
import { mixedCorpus } from './corpus.ts'
import { floorServer } from './floor.ts'

const DETECTION = new Set(['miner-signals', 'malicious-packages', 'miner-images'])

function fastestBatch(run: (index: number) => void): number {
  for (let call = 0; call < 4000; call++) run(call % 16)
  let fastest = Number.POSITIVE_INFINITY
  for (let batch = 0; batch < 40; batch++) {
    const start = process.hrtime.bigint()
    for (let call = 0; call < 160; call++) run(call % 16)
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1000 / 160)
  }
  return fastest
}

const youngBytes = () => (v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space') as v8.HeapSpaceInfo).space_used_size

/** Median growth of the young generation over 16 reviews, leaving out samples a scavenge cut short. */
function bytesPerReview(run: (index: number) => void): number {
  const samples: number[] = []
  for (let round = 0; round < 400; round++) {
    const before = youngBytes()
    for (let index = 0; index < 16; index++) run(index)
    const after = youngBytes()
    if (after > before) samples.push((after - before) / 16)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN
}

/**
 * CPU µs per request through inject, the median of 30 rounds of 320 requests sent one after
 * another; the apps take turns round by round, so a busy spell on a shared machine slows all
 * of them rather than one (process.cpuUsage counts this process only).
 */
async function injectCpu(apps: Record<string, FastifyInstance>, path: string, bodies: readonly string[]): Promise<Record<string, number>> {
  const send = (app: FastifyInstance, index: number) =>
    app.inject({ method: 'POST', url: path, payload: bodies[index % bodies.length] as string, headers: { 'content-type': 'application/json' } })
  const samples: Record<string, number[]> = {}
  for (const [name, app] of Object.entries(apps)) {
    for (let call = 0; call < 2000; call++) await send(app, call)
    samples[name] = []
  }
  for (let round = 0; round < 30; round++) {
    for (const [name, app] of Object.entries(apps)) {
      const start = process.cpuUsage()
      for (let call = 0; call < 320; call++) await send(app, call)
      const { user, system } = process.cpuUsage(start)
      samples[name]?.push((user + system) / 320)
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, [...values].sort((a, b) => a - b)[values.length >> 1] as number]))
}

/** A jackstop app built from another checkout's sources, for `--baseline DIR`. */
async function baselineApp(root: string, logger: pino.Logger, tls: { key: string; cert: string }): Promise<FastifyInstance> {
  const { buildServer: build } = (await import(`${root}/src/server/build-server.ts`)) as { buildServer: typeof buildServer }
  const { staticPolicyStore: store } = (await import(`${root}/src/server/policy-store.ts`)) as { staticPolicyStore: typeof staticPolicyStore }
  const { loadPolicySet: load } = (await import(`${root}/src/policy/load.ts`)) as { loadPolicySet: typeof loadPolicySet }
  return build({ logger, policies: store(await load(`${root}/policies/`)), tls }) as unknown as FastifyInstance
}

/** The inject rows: run before the in-process rows, which would otherwise warm only this checkout's code. */
async function injectRows(policySet: PolicySet, baseline: string | undefined): Promise<string[]> {
  // Decision lines are serialised as in production and dropped, so logging counts but no file does.
  const logger = pino({ level: 'info' }, { write: () => {} })
  const { serving } = testPki()
  const tls = { key: serving.keyPem, cert: serving.certPem }
  const apps: Record<string, FastifyInstance> = { floor: floorServer(logger, tls) as unknown as FastifyInstance }
  if (baseline !== undefined) apps.baseline = await baselineApp(baseline.replace(/\/$/, ''), logger, tls)
  apps.jackstop = buildServer({ logger, policies: staticPolicyStore(policySet), tls }) as unknown as FastifyInstance
  const bodies = mixedCorpus().map((entry) => entry.body)
  const lines = ['through inject, CPU µs per request  (median of 30 rounds)  vs floor']
  for (const path of ['/validate', '/mutate']) {
    const cpu = await injectCpu(apps, path, bodies)
    for (const [name, micros] of Object.entries(cpu)) {
      const ratio = name === 'floor' ? '' : `${(((cpu.floor as number) / micros) * 100).toFixed(1)}%`.padStart(12)
      lines.push(`${`${path}, ${name}`.padEnd(38)}${micros.toFixed(1).padStart(9)}${ratio}`)
    }
  }
  await Promise.all(Object.values(apps).map((app) => app.close()))
  return lines
}

export async function benchRequestPath(baseline?: string): Promise<string> {
  const policySet = await loadPolicySet(new URL('../policies/', import.meta.url).pathname)
  const throughInject = await injectRows(policySet, baseline)
  const withoutDetection: PolicySet = { ...policySet, policies: policySet.policies.filter((policy) => !DETECTION.has(policy.id)) }
  const requests = mixedCorpus().map((entry) => (JSON.parse(entry.body) as { request: AdmissionRequest }).request)
  const review = (set: PolicySet, phase: 'validate' | 'mutate') => (index: number) =>
    void reviewAdmission(requests[index] as AdmissionRequest, set, { phase, auditOnly: false })
  const rows: [string, (index: number) => void][] = [
    ['shape check', (index) => void objectShapeProblem('Pod', requests[index]?.object)],
    ['validate, detection policies left out', review(withoutDetection, 'validate')],
    ['validate, all policies', review(policySet, 'validate')],
    ['mutate', review(policySet, 'mutate')],
  ]
  const lines = ['per review, mixed corpus          µs (fastest batch)  KB allocated']
  for (const [name, run] of rows) {
    lines.push(`${name.padEnd(38)}${fastestBatch(run).toFixed(1).padStart(9)}${(bytesPerReview(run) / 1024).toFixed(1).padStart(14)}`)
  }
  return [...lines, '', ...throughInject].join('\n')
}
