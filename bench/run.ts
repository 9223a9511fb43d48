// `npm run bench`: jackstop against a no-op Fastify floor measured in the same run, in
// alternating rounds, because this machine is shared and noisy. Quote the ratios and medians.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { testPki } from '../test/helpers/server.ts'
import { benchCheck } from './check.ts'
import { benchCorpus, mixedCorpus } from './corpus.ts'
import { benchDetection } from './detection.ts'
import { benchEngine } from './engine.ts'
import { closedLoop, median, openLoop, percentile, pool, type Sample } from './load.ts'
import { benchPolicyCost, benchPolicyCostAgainst } from './policy-cost.ts'
import { benchRequestPath } from './request-path.ts'
import { benchHostileMemory, benchSizesEngine, benchSizesHttps } from './sizes.ts'
import { benchWatch } from './watch.ts'

const pki = testPki()
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    // With `--only policies`: only the policies whose id contains this.
    filter: { type: 'string' },
    // The mixed-corpus comparison of issue 10: 5 alternating rounds of 5 s unless told otherwise.
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    // A directory: both servers write V8 CPU profiles there (--cpu-prof) for `node bench/profile-top.ts`.
    'cpu-prof': { type: 'string' },
    // Load over h2 instead of the API server's HTTP/1.1 (the protocol of runs before 2026-12-02).
    http2: { type: 'boolean', default: false },
    // With `--only mixed`: only /validate or only /mutate (a profile of one phase, half the run time).
    phase: { type: 'string' },
    // With `--only mixed`: one concurrency instead of both 16 and 64.
    connections: { type: 'string' },
    // A checkout (with node_modules) to compare with: with `--only mixed` its jackstop takes the floor's place; with
    // `--only request-path` it joins the inject rows; with `--only policies` its all-policies rows are measured in
    // turns with this checkout's. Before/after in one run, under the same noise.
    baseline: { type: 'string' },
    // With `--only mixed`: jackstop runs without these policies (ids, comma-separated): what they cost on the request path.
    without: { type: 'string' },
  },
})
if (flags.baseline !== undefined && flags.only !== 'mixed' && flags.only !== 'request-path' && flags.only !== 'policies')
  throw new Error('--baseline goes with --only mixed, --only request-path or --only policies')
if (flags.without !== undefined && flags.only !== 'mixed') throw new Error('--without goes with --only mixed')
if (flags.phase !== undefined && flags.phase !== 'validate' && flags.phase !== 'mutate') throw new Error('--phase must be validate or mutate')
const mixedConnections = flags.connections === undefined ? [16, 64] : [Number(flags.connections)]
if (!mixedConnections.every((connections) => Number.isInteger(connections) && connections > 0)) throw new Error('--connections must be a positive integer')
const mixedOnly = flags.only === 'mixed'
const seconds = Number(flags.seconds ?? (flags.quick ? 1 : mixedOnly ? 5 : 3))
const rounds = Number(flags.rounds ?? (flags.quick ? 1 : mixedOnly ? 5 : 3))

/** What the floor's slot runs: the no-op floor, or with `--baseline DIR` that checkout's jackstop. */
const reference = flags.baseline === undefined ? 'floor' : 'baseline'

async function startTarget(which: 'jackstop' | 'floor'): Promise<{ child: ChildProcess; port: number }> {
  const env = { ...process.env, BENCH_TLS_KEY: pki.serving.keyPem, BENCH_TLS_CERT: pki.serving.certPem, BENCH_WITHOUT: flags.without ?? '' }
  const profile =
    flags['cpu-prof'] === undefined
      ? []
      : ['--cpu-prof', '--cpu-prof-dir', flags['cpu-prof'], '--cpu-prof-name', `${which === 'floor' ? reference : which}.cpuprofile`]
  const baseline = which === 'floor' && flags.baseline !== undefined
  const script = baseline ? join(flags.baseline as string, 'bench', 'target.ts') : new URL('./target.ts', import.meta.url).pathname
  const child = spawn(process.execPath, [...profile, script, baseline ? 'jackstop' : which], { stdio: ['ignore', 'pipe', 'inherit'], env })
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer]
  return { child, port: Number(chunk.toString().trim()) }
}

interface Row {
  scenario: string
  /** jackstop's req/s over the floor's, one per round: the noise the median hides. */
  roundRatios: number[]
  /** Median CPU µs each server spent per request; floor / jackstop is the capacity ratio on a core of its own. */
  cpu?: { floor: number; jackstop: number }
  floor: { rps: number; p50: number; p99: number }
  jackstop: { rps: number; p50: number; p99: number }
}

function summarise(samples: Sample[]) {
  return {
    rps: median(samples.map((sample) => sample.requests / sample.seconds)),
    p50: median(samples.map((sample) => percentile(sample, 50))),
    p99: median(samples.map((sample) => percentile(sample, 99))),
  }
}

function format(rows: Row[]): string {
  const header = [
    'scenario',
    `${reference} req/s`,
    'jackstop req/s',
    'ratio',
    'round ratios',
    `${reference} CPU µs/req`,
    'jackstop CPU µs/req',
    'CPU ratio',
    `${reference} p50 µs`,
    'jackstop p50 µs',
    `${reference} p99 µs`,
    'jackstop p99 µs',
    'p99 Δ µs',
  ]
  const lines = rows.map((row) => [
    row.scenario,
    row.floor.rps.toFixed(0),
    row.jackstop.rps.toFixed(0),
    `${((row.jackstop.rps / row.floor.rps) * 100).toFixed(1)}%`,
    row.roundRatios.map((ratio) => (ratio * 100).toFixed(0)).join('/'),
    row.cpu === undefined ? '-' : row.cpu.floor.toFixed(0),
    row.cpu === undefined ? '-' : row.cpu.jackstop.toFixed(0),
    row.cpu === undefined ? '-' : `${((row.cpu.floor / row.cpu.jackstop) * 100).toFixed(1)}%`,
    row.floor.p50.toFixed(0),
    row.jackstop.p50.toFixed(0),
    row.floor.p99.toFixed(0),
    row.jackstop.p99.toFixed(0),
    (row.jackstop.p99 - row.floor.p99).toFixed(0),
  ])
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] as string).length)))
  return [header, ...lines].map((line) => line.map((cell, column) => cell.padStart(widths[column] as number)).join('  ')).join('\n')
}

const ca = pki.ca.certPem
const corpus = benchCorpus()
// Detection alone needs no servers: counts, not timings.
if (flags.only === 'detection') {
  process.stdout.write(`\n${await benchDetection()}\n`)
  process.exit(0)
}
// What each policy costs on each kind of review of the mixed corpus (`--filter` narrows the policies).
if (flags.only === 'policies') {
  process.stdout.write(`\n${flags.baseline === undefined ? await benchPolicyCost(flags.filter) : await benchPolicyCostAgainst(flags.baseline)}\n`)
  process.exit(0)
}
// The request path's own work in this process (no transport): what the mixed-corpus gap is made of.
if (flags.only === 'request-path') {
  process.stdout.write(`\n${await benchRequestPath(flags.baseline)}\n`)
  process.exit(0)
}
const [floor, jackstop] = [await startTarget('floor'), await startTarget('jackstop')]
const targets = { floor, jackstop }
const rows: Row[] = []
/** Requests each server answered, warm-ups included: divides a CPU profile into µs per request. */
const served = { floor: 0, jackstop: 0 }

/** User plus system CPU time the target has used so far, in µs (its GET /bench/cpu). */
async function cpuMicros(client: ReturnType<typeof pool>): Promise<number> {
  const response = await client.request({ method: 'GET', path: '/bench/cpu' })
  const { user, system } = (await response.body.json()) as { user: number; system: number }
  return user + system
}

async function measure(scenario: string, run: (client: ReturnType<typeof pool>) => Promise<Sample>, connections: number) {
  const clients = { floor: pool(floor.port, ca, connections, flags.http2), jackstop: pool(jackstop.port, ca, connections, flags.http2) }
  const samples: Record<'floor' | 'jackstop', Sample[]> = { floor: [], jackstop: [] }
  const cpuPerRequest: Record<'floor' | 'jackstop', number[]> = { floor: [], jackstop: [] }
  for (const name of ['floor', 'jackstop'] as const) served[name] += (await run(clients[name])).requests // warm-up: JIT, TLS sessions
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? (['floor', 'jackstop'] as const) : (['jackstop', 'floor'] as const)) {
      const before = await cpuMicros(clients[name])
      const sample = await run(clients[name])
      cpuPerRequest[name].push(((await cpuMicros(clients[name])) - before) / sample.requests)
      if (sample.errors > 0) throw new Error(`${scenario}: ${name} answered ${sample.errors} requests with errors`)
      served[name] += sample.requests
      samples[name].push(sample)
    }
  }
  await Promise.all([clients.floor.close(), clients.jackstop.close()])
  const roundRatios = samples.jackstop.map((sample, round) => {
    const floorSample = samples.floor[round] as Sample
    return sample.requests / sample.seconds / (floorSample.requests / floorSample.seconds)
  })
  const cpu = { floor: median(cpuPerRequest.floor), jackstop: median(cpuPerRequest.jackstop) }
  const row = { scenario, roundRatios, cpu, floor: summarise(samples.floor), jackstop: summarise(samples.jackstop) }
  rows.push(row)
  process.stderr.write(`${format([row]).split('\n')[1]}\n`)
}

/** Issue 10, item 7: both phases over the mixed corpus at the API server's usual concurrency. */
async function measureMixed(): Promise<void> {
  const bodies = mixedCorpus().map((entry) => entry.body)
  const mean = bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length
  process.stderr.write(`mixed corpus: ${bodies.length} reviews, mean ${(mean / 1024).toFixed(1)} KB\n`)
  const paths = flags.phase === undefined ? ['/validate', '/mutate'] : [`/${flags.phase}`]
  for (const path of paths) {
    for (const concurrency of mixedConnections) {
      await measure(`${path.slice(1)} mixed c=${concurrency}`, (client) => closedLoop(client, path, bodies, concurrency, seconds), concurrency)
    }
  }
  const protocol = flags.http2 ? 'h2' : 'HTTP/1.1'
  const without = flags.without === undefined ? '' : `, jackstop without ${flags.without}`
  process.stdout.write(`\nMixed corpus over HTTPS (${protocol}${without}), ${rounds} alternating rounds of ${seconds}s, medians:\n${format(rows)}\n`)
  process.stdout.write(`requests answered, warm-ups included: ${reference} ${served.floor}, jackstop ${served.jackstop}\n`)
}

try {
  if (mixedOnly) await measureMixed()
  if (flags.only === undefined) {
    process.stdout.write(`\n${await benchDetection()}\n`)
  }
  if (flags.only === undefined || flags.only === 'engine') {
    process.stdout.write(`\nEngine alone (no transport), median of batches:\n${benchEngine(corpus)}\n`)
  }
  if (flags.only === undefined || flags.only === 'watch') {
    process.stdout.write(`\n${await benchWatch(rounds)}\n`)
  }
  if (flags.only === undefined || flags.only === 'check') {
    process.stdout.write(`\n${await benchCheck()}\n`)
  }
  if (flags.only === undefined || flags.only === 'sizes') {
    process.stdout.write(
      `\nReview cost by object size, engine alone (median CPU ms; parse = JSON.parse floor of the same body):\n${benchSizesEngine(seconds / 3)}\n`,
    )
    const https = await benchSizesHttps({ jackstop: jackstop.port, floor: floor.port }, ca, flags.quick ? 3 : 7)
    process.stdout.write(`\nThe ConfigMap cases through HTTPS beside the no-op Fastify floor (median wall ms, one connection):\n${https}\n`)
    process.stdout.write(`\n${benchHostileMemory()}\n`)
  }
  if (flags.only === undefined || flags.only === 'http') {
    process.stderr.write(`corpus: ${corpus.map((entry) => `${entry.name} = ${entry.body.length} bytes`).join(', ')}\n`)
    for (const entry of corpus) {
      for (const concurrency of [1, 8, 32]) {
        await measure(
          `validate ${entry.name} closed c=${concurrency}`,
          (client) => closedLoop(client, '/validate', entry.body, concurrency, seconds),
          concurrency,
        )
      }
    }
    const medium = corpus[1] as (typeof corpus)[number]
    for (const rate of [500, 1000]) {
      await measure(`validate ${medium.name} open ${rate}/s`, (client) => openLoop(client, '/validate', medium.body, rate, seconds), 16)
    }
    for (const concurrency of [1, 8, 32]) {
      await measure(`mutate ${medium.name} closed c=${concurrency}`, (client) => closedLoop(client, '/mutate', medium.body, concurrency, seconds), concurrency)
    }
    await measure(`mutate ${medium.name} open 500/s`, (client) => openLoop(client, '/mutate', medium.body, 500, seconds), 16)
    process.stdout.write(`\nHTTPS (HTTP/1.1 keep-alive), ${rounds} alternating rounds of ${seconds}s, medians:\n${format(rows)}\n`)
  }
} finally {
  // SIGTERM closes each server, which then exits and writes its CPU profile when asked to.
  await Promise.all(
    Object.values(targets).map(({ child }) => {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      return exited
    }),
  )
}
