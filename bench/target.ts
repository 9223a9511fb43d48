// A server under benchmark, in its own process so the load generator does not share its
// event loop: `jackstop` (the real webhook, default policies) or `floor` (Fastify over the same
// TLS and HTTP settings, parsing the same bodies and answering allowed without any review).
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { loadPolicySet } from '../src/policy/load.ts'
import { buildServer } from '../src/server/build-server.ts'
import { staticPolicyStore } from '../src/server/policy-store.ts'
import { floorServer } from './floor.ts'

const which = process.argv[2]
// The load generator made the CA; the serving pair arrives through the environment.
const tls = { key: process.env.BENCH_TLS_KEY as string, cert: process.env.BENCH_TLS_CERT as string }
// Decision lines go where production sends them (a stream), here /dev/null.
const logger = pino({ level: 'info' }, pino.destination('/dev/null'))

/** The default policies, less those `--without` names (run.ts passes them as BENCH_WITHOUT). */
async function benchPolicies() {
  const set = await loadPolicySet(new URL('../policies/', import.meta.url).pathname)
  const without = (process.env.BENCH_WITHOUT ?? '').split(',').filter((id) => id !== '')
  const unknown = without.filter((id) => !set.policies.some((policy) => policy.id === id))
  if (unknown.length > 0) throw new Error(`--without: no policy ${unknown.join(', ')}`)
  return { ...set, policies: set.policies.filter((policy) => !without.includes(policy.id)) }
}

// Both are Fastify instances; the floor's HTTP/2 typing and jackstop's decorations differ.
const app = (which === 'floor'
  ? floorServer(logger, tls)
  : buildServer({
      logger,
      policies: staticPolicyStore(await benchPolicies()),
      tls,
    })) as unknown as FastifyInstance
// CPU time of this process, read before and after each round: CPU per request is far less
// disturbed by the other tenants of a shared machine than requests per second.
app.get('/bench/cpu', async () => process.cpuUsage())
await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${(app.server.address() as AddressInfo).port}\n`)
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
