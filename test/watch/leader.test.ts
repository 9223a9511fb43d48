import { KubeConfig } from '@kubernetes/client-node'
import t from 'tap'
import { connectForWatch } from '../../src/watch/client.ts'
import { LeaderElector } from '../../src/watch/leader.ts'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, merge, policiesWithRemediation, reportOf, specOf, startWatch, until } from '../helpers/watch.ts'

t.test('two replicas elect one leader through the Lease: the miner is scaled once, and the other takes over when the leader stops', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', 'xmrig/xmrig', { replicas: 4 })) })
  t.teardown(() => cluster.close())
  const policies = await policiesWithRemediation(t)
  const [a, b] = await Promise.all([
    startWatch(t, cluster, { policies, remediation: 'enforce', identity: 'replica-a' }),
    startWatch(t, cluster, { policies, remediation: 'enforce', identity: 'replica-b' }),
  ])
  await until(t, 'the miner scaled to zero', () => specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas === 0)
  await until(t, 'the Event', () => cluster.list('events').length === 1)
  await Promise.all([a.controller.idle(), b.controller.idle()])
  t.equal([a, b].filter((replica) => replica.controller.leading).length, 1, 'exactly one leader')
  t.equal(cluster.list('events').length, 1, 'one remediation, not two')
  t.equal(cluster.requests.filter((line) => line.startsWith('PATCH /apis/apps/v1/namespaces/shop/deployments/stats/scale')).length, 1)
  const [leader, follower] = a.controller.leading ? [a, b] : [b, a]
  const holder = specOf<{ holderIdentity?: string }>(cluster.get('coordination.k8s.io/leases', 'jackstop-system', 'jackstop-watch')).holderIdentity
  t.equal(holder, leader === a ? 'replica-a' : 'replica-b')
  t.equal((await follower.metrics.leader.get()).values[0]?.value, 0)

  await leader.stop()
  await until(t, 'the follower leads', () => follower.controller.leading)
  // The new leader checks every namespace again, and finds the work already done.
  cluster.remove('wgpolicyk8s.io/policyreports', 'shop', 'jackstop-shop')
  cluster.apply('apps/deployments', cluster.get('apps/deployments', 'shop', 'stats') as never)
  await until(t, 'the report rewritten by the new leader', () => reportOf(cluster, 'shop') !== undefined)
  t.equal(cluster.list('events').length, 1, 'still one remediation')
})

t.test('a Lease held by a replica that stopped renewing is taken over only after its duration, judged on the local clock', async (t) => {
  const now = new Date().toISOString()
  const cluster = await startFakeCluster({
    objects: {
      'coordination.k8s.io/leases': [
        {
          metadata: { name: 'jackstop-watch', namespace: 'jackstop-system' },
          spec: { holderIdentity: 'gone-replica', leaseDurationSeconds: 1, renewTime: now, acquireTime: now, leaseTransitions: 3 },
        },
      ],
    },
  })
  t.teardown(() => cluster.close())
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const changes: boolean[] = []
  const elector = new LeaderElector(
    connectForWatch(config, 10_000).coordination,
    { namespace: 'jackstop-system', name: 'jackstop-watch', identity: 'replica-c', leaseDurationSeconds: 1, retryMs: 50 },
    (leading) => changes.push(leading),
    (message) => t.fail(message),
  )
  const started = Date.now()
  elector.start()
  t.teardown(() => elector.stop())
  await until(t, 'leading', () => elector.leading)
  t.ok(Date.now() - started >= 1000, 'not before the held Lease expired')
  t.match(cluster.get('coordination.k8s.io/leases', 'jackstop-system', 'jackstop-watch')?.spec, { holderIdentity: 'replica-c', leaseTransitions: 4 })
  await elector.stop()
  t.same(changes, [true, false])
  t.match(cluster.get('coordination.k8s.io/leases', 'jackstop-system', 'jackstop-watch')?.spec, { holderIdentity: null, leaseDurationSeconds: 1 })
})

t.test('a replica that cannot write the Lease does not lead', async (t) => {
  const cluster = await startFakeCluster({})
  t.teardown(() => cluster.close())
  cluster.failures.set('GET /apis/coordination.k8s.io/v1/namespaces/jackstop-system/leases', 403)
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const troubles: string[] = []
  const elector = new LeaderElector(
    connectForWatch(config, 10_000).coordination,
    { namespace: 'jackstop-system', name: 'jackstop-watch', identity: 'replica-d', leaseDurationSeconds: 1, retryMs: 30 },
    () => {},
    (message) => troubles.push(message),
  )
  elector.start()
  t.teardown(() => elector.stop())
  await until(t, 'a refused read reported', () => troubles.length > 0)
  t.equal(elector.leading, false)
  t.match(troubles[0], /^Lease jackstop-system\/jackstop-watch: /)
  await until(t, 'leading once the API allows it', () => elector.leading)
  cluster.failures.set('GET /apis/coordination.k8s.io/v1/namespaces/jackstop-system/leases/jackstop-watch', 500)
  await elector.stop()
  t.match(troubles.at(-1), /^cannot release the Lease: /, 'a failed release is said; the Lease then expires on its own')
})

t.test('a Lease without a spec is free to take, one without a duration expires by ours, and a Lease deleted under the leader is not released', async (t) => {
  const cluster = await startFakeCluster({
    objects: { 'coordination.k8s.io/leases': [{ metadata: { name: 'bare', namespace: 'jackstop-system' } }] },
  })
  t.teardown(() => cluster.close())
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const elect = (name: string) =>
    new LeaderElector(
      connectForWatch(config, 10_000).coordination,
      { namespace: 'jackstop-system', name, identity: 'replica-e', leaseDurationSeconds: 1, retryMs: 30 },
      () => {},
      (message) => t.fail(message),
    )
  const bare = elect('bare')
  bare.start()
  t.teardown(() => bare.stop())
  await until(t, 'leading the bare Lease', () => bare.leading)
  t.match(cluster.get('coordination.k8s.io/leases', 'jackstop-system', 'bare')?.spec, { holderIdentity: 'replica-e', leaseTransitions: 1 })
  cluster.remove('coordination.k8s.io/leases', 'jackstop-system', 'bare')
  await bare.stop()
  t.equal(cluster.get('coordination.k8s.io/leases', 'jackstop-system', 'bare'), undefined, 'nothing recreated just to release it')

  cluster.apply('coordination.k8s.io/leases', {
    metadata: { name: 'undated', namespace: 'jackstop-system' },
    spec: { holderIdentity: 'silent-replica', renewTime: new Date().toISOString() },
  } as never)
  const undated = elect('undated')
  const started = Date.now()
  undated.start()
  t.teardown(() => undated.stop())
  await until(t, 'leading the undated Lease', () => undated.leading)
  t.ok(Date.now() - started >= 1000, 'the holder kept it for our own duration first')
})

t.test('a refused Lease read and a failed list are logged as warnings and counted as watch errors', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', 'nginx:1.27')) })
  t.teardown(() => cluster.close())
  cluster.failures.set('GET /apis/coordination.k8s.io/v1/namespaces/jackstop-system/leases', 500)
  cluster.failures.set('GET /apis/apps/v1/deployments', 500)
  const policies = await policiesWithRemediation(t)
  const watch = await startWatch(t, cluster, { policies })
  await until(t, 'both failures reported', () => watch.lines.filter((line) => line.level === 'warn').length >= 2)
  t.ok(
    watch.lines.some((line) => line.level === 'warn' && /^Lease jackstop-system\/jackstop-watch: /.test(line.message)),
    'the Lease trouble',
  )
  t.ok(
    watch.lines.some((line) => line.level === 'warn' && /deployments/i.test(line.message)),
    'the list trouble',
  )
  t.ok(((await watch.metrics.watchErrors.get()).values[0]?.value ?? 0) >= 2, 'counted as watch errors')
  await until(t, 'leading once the API answers', () => watch.controller.leading)
})
