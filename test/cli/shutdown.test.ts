import { readFile } from 'node:fs/promises'
import { Agent, request } from 'node:https'
import { join } from 'node:path'
import t from 'tap'
import { startCli } from '../helpers/cli.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'

const body = JSON.stringify(admissionReview({ object: replicaSetPod([{ name: 'c', image: 'nginx:1.27' }]) }))

t.test('reviews sent continuously across a rolling restart are all answered', async (t) => {
  const certDir = t.testdir()
  const start = async () => {
    const served = await startCli(
      ['serve', '--port', '0', '--cert-dir', certDir, '--drain-delay', '600', '--log-level', 'warn'],
      /serving on https:\/\/127\.0\.0\.1:(\d+)\. Try it/,
    )
    return { served, port: Number(served.match[1]), agent: new Agent({ keepAlive: true, ca: await readFile(join(certDir, 'ca.crt'), 'utf8'), maxSockets: 4 }) }
  }
  const call = (target: { port: number; agent: Agent }, path: string, payload?: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: target.port,
          path,
          method: payload === undefined ? 'GET' : 'POST',
          agent: target.agent,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', reject)
      req.end(payload)
    })
  // Two replicas behind a Service: reviews go to the first while it is ready, then to the second.
  const old = await start()
  const next = await start()
  t.teardown(() => next.served.shutdown())
  let target = old
  const answered: number[] = []
  const failures: string[] = []
  let running = true
  const clients = Array.from({ length: 4 }, async () => {
    while (running) {
      await call(target, '/validate?timeout=10s', body).then(
        (status) => (status === 200 ? answered.push(status) : failures.push(`status ${status}`)),
        (error: Error) => failures.push(error.message),
      )
    }
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
  // What SIGTERM runs in the real process (the binary's own SIGTERM is tested in serve.test.ts).
  const closed = old.served.shutdown()
  // The endpoints controller notices readiness failing and takes the replica out of the Service.
  const probe = new Agent({ ca: old.agent.options.ca })
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await call({ port: old.port, agent: probe }, '/readyz').catch(() => 0)
    if (ready !== 200) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  target = next
  await closed
  await new Promise((resolve) => setTimeout(resolve, 200))
  running = false
  await Promise.all(clients)
  for (const agent of [old.agent, next.agent, probe]) agent.destroy()
  t.equal(old.served.output().stdout, '', 'the old replica drained without a warning or an error')
  t.ok(answered.length > 20, `${answered.length} reviews answered`)
  t.same(failures, [])
})
