import t from 'tap'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { startServer } from '../helpers/server.ts'

const server = await startServer()
t.teardown(server.close)

t.test('a generic image whose init container runs a miner is refused with each signal and where it is', async (t) => {
  const pod = replicaSetPod([{ name: 'web', image: 'nginx:1.27' }], {
    initContainers: [{ name: 'setup', image: 'alpine:3.20', args: ['-c', '--donate-level=1', '-o', 'stratum+tcp://pool.example:3333'] }],
  })
  const { body } = await server.post('/validate', admissionReview({ object: pod }))
  t.equal(body.response?.allowed, false)
  t.equal(
    (body.response?.status as { message: string } | undefined)?.message,
    'jackstop refused Pod shop/web-7d4b9c8f6d-*: spec.initContainers[0] "setup": crypto-miner signals scored 19 (refused at 10): ' +
      'args[3]: stratum URL "stratum+tcp://pool.example:3333"; args[1]: miner flag "--donate-level"; args[3]: mining port ":3333" (miner-signals)',
  )
  t.same(body.response?.auditAnnotations, { findings: 'miner-signals=deny@spec.initContainers[0].args[3]', requester: 'alice@example.com' })
})

t.test('a weaker score is admitted with a warning', async (t) => {
  const pod = replicaSetPod([{ name: 'tool', image: 'ubuntu:24.04', args: ['--donate-level', '1'] }])
  const { body } = await server.post('/validate', admissionReview({ object: pod }))
  t.same(body.response?.allowed, true)
  t.same(body.response?.warnings, [
    'spec.containers[0] "tool": crypto-miner signals scored 7 (warned at 7): args[0]: miner flag "--donate-level" (miner-signals)',
  ])
})

t.test('a secret in an env value is never quoted whole: only the matched part, credentials masked', async (t) => {
  const secret = 'Sup3rS3cretToken'
  const pod = replicaSetPod([
    {
      name: 'app',
      image: 'ubuntu:24.04',
      env: [{ name: 'UPSTREAM', value: `token=${secret};url=stratum+tcp://user:${secret}@pool.example:3333;retry=5` }],
    },
  ])
  const { text } = await server.post('/validate', admissionReview({ object: pod }))
  t.notMatch(text, secret)
  t.match(text, 'stratum+tcp://***@pool.example:3333')
  t.notMatch(JSON.stringify(server.lines.at(-1)), secret, 'nor is it logged')
})

t.test('a ConfigMap holding an xmrig config is refused on CREATE and UPDATE', async (t) => {
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'miner-config', namespace: 'shop' },
    data: {
      'config.json':
        '{"donate-level":1,"pools":[{"url":"pool.supportxmr.com:443","user":"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"}]}',
    },
  }
  for (const operation of ['CREATE', 'UPDATE'] as const) {
    const old = { ...configMap, data: { 'config.json': '{}' } }
    const { body } = await server.post('/validate', admissionReview({ object: configMap, oldObject: operation === 'UPDATE' ? old : null, operation }))
    t.equal(body.response?.allowed, false, operation)
    t.match(
      (body.response?.status as { message: string } | undefined)?.message,
      /^jackstop refused ConfigMap shop\/miner-config: crypto-miner signals scored \d+ \(refused at 10\): data\["config\.json"\]: miner configuration "pools\[0\]\.url"; .*wallet address/,
    )
  }
})

t.test('a ConfigMap whose pools list holds database URLs is admitted without a warning (issue 13)', async (t) => {
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'db', namespace: 'shop' },
    data: { 'db.json': '{"pools":[{"url":"jdbc:postgresql://db/shop","user":"app"}]}' },
  }
  const { body } = await server.post('/validate', admissionReview({ object: configMap }))
  t.equal(body.response?.allowed, true)
  t.same(body.response?.warnings ?? [], [])
})
