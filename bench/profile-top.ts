// `node bench/profile-top.ts FILE.cpuprofile [TOP] [REQUESTS]`: where a V8 CPU profile spent its
// time, by function (self time) and by module, as a share of the non-idle time and, given the
// number of requests the server answered, in µs per request, from the first request on. Used on
// the profiles `npm run bench -- --only mixed --cpu-prof DIR` writes (it prints the request counts).
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const [file, count = '25', requests] = process.argv.slice(2)
if (file === undefined) throw new Error('usage: node bench/profile-top.ts FILE.cpuprofile [TOP] [REQUESTS]')
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)

/** True for a sample inside Fastify's per-request handler: the first one ends start-up. */
function inRequest(id: number): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const { functionName, url } = (byId.get(at) as ProfileNode).callFrame
    if (functionName === 'routeHandler' && url.endsWith('/fastify/lib/route.js')) return true
  }
  return false
}

// Start-up (TypeScript stripping, policy load, schema compiles, intel YAML) is left out: it is
// not a per-request cost, and over a short run it would read as several µs per request.
const firstRequest = profile.samples.findIndex(inRequest)
const selfMicros = new Map<number, number>()
for (const [index, id] of profile.samples.entries()) {
  if (index < firstRequest) continue
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
}

// (program) stays in: it is native work (TLS, HTTP parsing) the server does per request.
const IDLE = new Set(['(idle)'])
const byFunction = new Map<string, number>()
const byModule = new Map<string, number>()
let busy = 0
for (const [id, micros] of selfMicros) {
  const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame
  if (IDLE.has(functionName)) continue
  busy += micros
  const where = url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench|policies)\//, '$1/')
  const name = `${functionName || '(anonymous)'} ${where}${url === '' ? '' : `:${lineNumber + 1}`}`
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
  const module =
    url === ''
      ? functionName
      : url.startsWith('node:')
        ? 'node:*'
        : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? where.split('/').slice(0, 2).join('/'))
  byModule.set(module, (byModule.get(module) ?? 0) + micros)
}

const perRequest = (micros: number) => (requests === undefined ? '' : `${(micros / Number(requests)).toFixed(1).padStart(7)} µs/req  `)

function table(title: string, entries: Map<string, number>): string {
  const rows = [...entries].sort((a, b) => b[1] - a[1]).slice(0, Number(count))
  const line = ([name, micros]: [string, number]) =>
    `${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${perRequest(micros)}${name.slice(0, 160)}`
  return [title, ...rows.map(line)].join('\n')
}

const total = requests === undefined ? '' : `, ${(busy / Number(requests)).toFixed(0)} µs per request over ${requests} requests`
process.stdout.write(
  `${file}: ${(busy / 1000).toFixed(0)} ms busy${total}\n\n${table('self time by function', byFunction)}\n\n${table('self time by module', byModule)}\n`,
)
