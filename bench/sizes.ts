// `npm run bench -- --only sizes`: what one review costs as objects grow, for the inputs an
// attacker picks (every character a tell-tale token that a rescanning pattern revisits) and for
// ordinary ones, at 16 KiB, 256 KiB and 1 MiB. Linear scanners give 1 MiB / 256 KiB ≈ 4.
// The floor beside each figure is JSON.parse of the same AdmissionReview: work any webhook does.
import { reviewAdmission } from '../src/admission/review.ts'
import type { AdmissionRequest } from '../src/admission/types.ts'
import { loadPolicySet } from '../src/policy/load.ts'
import type { KubeObject } from '../src/workloads/kubernetes.ts'
import { median, pool } from './load.ts'

const policySet = await loadPolicySet(new URL('../policies/', import.meta.url).pathname)

const KIB = 1024
export const SIZES = [16 * KIB, 256 * KIB, 1024 * KIB]

function repeatedTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
}

function pod(container: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'sized', namespace: 'bench' },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', ...container }] },
  }
}

function configMap(text: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sized', namespace: 'bench' }, data: { 'payload.txt': text } } as KubeObject
}

const SCRIPT_LINES = [
  'set -eu',
  'apt-get update && apt-get install -y --no-install-recommends ca-certificates curl jq',
  'curl -fsSL https://downloads.example.com/tool/v1.2.3/tool-linux-amd64.tar.gz -o /opt/tool.tgz',
  'tar -C /opt -xzf /opt/tool.tgz && rm /opt/tool.tgz',
  'exec /opt/tool/bin/server --listen=:8080 --log-level=info --config=/etc/tool/config.yaml',
]
const CONFIG_LINES = [
  'server {',
  '  listen 8080;',
  '  location / { proxy_pass http://backend.default.svc.cluster.local:8080; proxy_set_header Host $host; }',
  '  gzip on; gzip_types text/plain application/json;',
  '}',
]

/** Environment entries of ordinary values, about `size` characters in all. */
function ordinaryEnv(size: number): { name: string; value: string }[] {
  return Array.from({ length: Math.ceil(size / 64) }, (_, index) => ({
    name: `SETTING_${index}`,
    value: `https://service-${index}.example.com/api?mode=production`,
  }))
}

/** Different 34-character base58 tokens starting with 1: each one costs a checksum. */
function addressShapedTokens(size: number): string {
  const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  const tokens: string[] = []
  for (let index = 0, length = 0; length < size; index++) {
    let token = '1'
    for (let char = 0, seed = index; char < 33; char++, seed = (seed * 31 + char) % 1_000_003) token += base58[seed % 58]
    tokens.push(token)
    length += token.length + 1
  }
  return tokens.join(' ').slice(0, size)
}

export interface SizeCase {
  name: string
  hostile: boolean
  build(size: number): KubeObject
}

export const CASES: SizeCase[] = [
  { name: 'pod args "-o " repeated', hostile: true, build: (size) => pod({ args: [repeatedTo('-o ', size)] }) },
  { name: 'pod env "supportxmr.com."', hostile: true, build: (size) => pod({ env: [{ name: 'POOL', value: repeatedTo('supportxmr.com.', size) }] }) },
  { name: 'ConfigMap "-o " repeated', hostile: true, build: (size) => configMap(repeatedTo('-o ', size)) },
  { name: 'ConfigMap "wget >/tmp/x "', hostile: true, build: (size) => configMap(repeatedTo('wget >/tmp/x ', size)) },
  { name: 'ConfigMap "curl | "', hostile: true, build: (size) => configMap(repeatedTo('curl | ', size)) },
  { name: 'ConfigMap address-shaped tokens', hostile: true, build: (size) => configMap(addressShapedTokens(size)) },
  { name: 'pod args shell script', hostile: false, build: (size) => pod({ command: ['sh', '-c'], args: [repeatedTo(`${SCRIPT_LINES.join('\n')}\n`, size)] }) },
  { name: 'pod env ordinary values', hostile: false, build: (size) => pod({ env: ordinaryEnv(size) }) },
  { name: 'ConfigMap nginx config', hostile: false, build: (size) => configMap(repeatedTo(`${CONFIG_LINES.join('\n')}\n`, size)) },
]

function reviewBody(object: KubeObject): string {
  const resource = object.kind === 'ConfigMap' ? 'configmaps' : 'pods'
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '00000000-0000-4000-8000-000000000001',
      kind: { group: '', version: 'v1', kind: object.kind },
      resource: { group: '', version: 'v1', resource },
      operation: 'CREATE',
      namespace: 'bench',
      userInfo: { username: 'bench' },
      object,
    },
  })
}

/**
 * Median CPU milliseconds of `run` (this process's user + system time, so the other processes of
 * a shared machine do not count), repeated until about `seconds` have passed (5 to 200 times).
 */
function millisecondsPer(run: () => void, seconds: number): number {
  for (let warm = 0; warm < 3; warm++) run() // warm-up: patterns compiled, code optimised
  const times: number[] = []
  const deadline = performance.now() + seconds * 1000
  while (times.length < 5 || (times.length < 200 && performance.now() < deadline)) {
    const start = process.cpuUsage()
    run()
    const { user, system } = process.cpuUsage(start)
    times.push((user + system) / 1000)
  }
  return median(times)
}

interface EngineRow {
  name: string
  floor: number[]
  engine: number[]
  outcome: string
}

function engineRows(seconds: number): EngineRow[] {
  return CASES.map(({ name, build }) => {
    const floor: number[] = []
    const engine: number[] = []
    let outcome = ''
    for (const size of SIZES) {
      const body = reviewBody(build(size))
      const request = (JSON.parse(body) as { request: AdmissionRequest }).request
      floor.push(millisecondsPer(() => JSON.parse(body), seconds))
      engine.push(millisecondsPer(() => reviewAdmission(request, policySet, { phase: 'validate', auditOnly: false }), seconds))
      const { response } = reviewAdmission(request, policySet, { phase: 'validate', auditOnly: false })
      outcome = response.allowed ? 'allowed' : 'refused'
    }
    return { name, floor, engine, outcome }
  })
}

function table(header: string[], lines: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] as string).length)))
  return [header, ...lines]
    .map((line) => line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  '))
    .join('\n')
}

const fixed = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1))

/** The engine at three sizes per case: median ms, the JSON.parse floor, and the 1 MiB / 256 KiB ratio. */
export function benchSizesEngine(seconds = 1): string {
  const rows = engineRows(seconds)
  const header = ['case (validate, engine, CPU)', ...SIZES.map((size) => `${size / KIB} KiB ms`), '1 MiB parse ms', '1MiB/256KiB', '1 MiB answer']
  const lines = rows.map((row) => [
    row.name,
    ...row.engine.map(fixed),
    fixed(row.floor[2] as number),
    ((row.engine[2] as number) / (row.engine[1] as number)).toFixed(2),
    row.outcome,
  ])
  return table(header, lines)
}

/** The same reviews through the HTTPS server (HTTP/1.1 keep-alive), beside the no-op Fastify floor. */
export async function benchSizesHttps(ports: { jackstop: number; floor: number }, ca: string, samples = 7): Promise<string> {
  const header = ['case (POST /validate)', 'size', 'floor ms', 'jackstop ms', 'jackstop - floor ms']
  const lines: string[][] = []
  const clients = { jackstop: pool(ports.jackstop, ca, 1), floor: pool(ports.floor, ca, 1) }
  try {
    for (const sizeCase of CASES.filter((candidate) => candidate.name.startsWith('ConfigMap'))) {
      for (const size of SIZES.slice(1)) {
        const body = reviewBody(sizeCase.build(size))
        const timings: Record<'jackstop' | 'floor', number[]> = { jackstop: [], floor: [] }
        for (let sample = 0; sample <= samples; sample++) {
          for (const target of ['floor', 'jackstop'] as const) {
            const start = performance.now()
            const response = await clients[target].request({ method: 'POST', path: '/validate', body, headers: { 'content-type': 'application/json' } })
            await response.body.text()
            if (response.statusCode !== 200) throw new Error(`${sizeCase.name}: ${target} answered ${response.statusCode}`)
            if (sample > 0) timings[target].push(performance.now() - start) // sample 0 warms the connection
          }
        }
        const floor = median(timings.floor)
        const jackstop = median(timings.jackstop)
        lines.push([sizeCase.name, `${size / KIB} KiB`, fixed(floor), fixed(jackstop), fixed(jackstop - floor)])
      }
    }
  } finally {
    await Promise.all([clients.jackstop.close(), clients.floor.close()])
  }
  return table(header, lines)
}

/** A 2.2 KB pod whose env doubles 19 times through `$(VAR)`: refused at the expansion cap. */
export function doublingPod(): KubeObject {
  const env = [{ name: 'V0', value: 'x'.repeat(1300) }]
  for (let index = 1; index <= 19; index++) env.push({ name: `V${index}`, value: `$(V${index - 1})$(V${index - 1})` })
  return pod({ env, args: ['$(V19)'] })
}

/** RSS and heap before and after `reviews` hostile reviews (16 KiB of each hostile case, and the doubling pod), in MB. */
export function benchHostileMemory(reviews = 10_000): string {
  const hostile = [...CASES.filter((sizeCase) => sizeCase.hostile).map((sizeCase) => sizeCase.build(16 * KIB)), doublingPod()].map(
    (object) => (JSON.parse(reviewBody(object)) as { request: AdmissionRequest }).request,
  )
  const options = { phase: 'validate', auditOnly: false } as const
  for (const request of hostile) reviewAdmission(request, policySet, options) // warm-up
  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
  const before = process.memoryUsage()
  const start = performance.now()
  let refused = 0
  for (let review = 0; review < reviews; review++) {
    if (!reviewAdmission(hostile[review % hostile.length] as AdmissionRequest, policySet, options).response.allowed) refused += 1
  }
  const wallSeconds = (performance.now() - start) / 1000
  const after = process.memoryUsage()
  return [
    `${reviews} hostile reviews (${hostile.length} kinds in turn, ${refused} refused) in ${wallSeconds.toFixed(1)} s wall:`,
    `  RSS ${megabytes(before.rss)} MB -> ${megabytes(after.rss)} MB (${after.rss >= before.rss ? '+' : ''}${megabytes(after.rss - before.rss)} MB)`,
    `  heap used ${megabytes(before.heapUsed)} MB -> ${megabytes(after.heapUsed)} MB`,
  ].join('\n')
}
