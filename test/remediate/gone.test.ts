import { KubeConfig } from '@kubernetes/client-node'
import t from 'tap'
import { connect } from '../../src/kube/cluster.ts'
import { readObject } from '../../src/remediate/api.ts'
import { evict } from '../../src/remediate/evict.ts'
import { quarantine } from '../../src/remediate/quarantine.ts'
import { scaleToZero } from '../../src/remediate/scale-to-zero.ts'
import { startFakeCluster } from '../helpers/fake-cluster.ts'

t.test('a remediation whose object is already gone has nothing to do, and says so by returning nothing', async (t) => {
  const cluster = await startFakeCluster({})
  t.teardown(() => cluster.close())
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const client = connect(config)
  const ghost = { kind: 'Pod', namespace: 'shop', name: 'ghost' }
  const now = new Date()
  t.equal(await quarantine(client, ghost, 'miner-images', now), undefined)
  t.equal(await evict(client, ghost, 'miner-images', now), undefined)
  t.equal(await scaleToZero(client, ghost, 'miner-images', now), undefined)
  t.same(cluster.list('networking.k8s.io/networkpolicies'), [], 'no NetworkPolicy for a pod that is gone')
  await t.rejects(scaleToZero(client, { kind: 'Deployment', namespace: 'shop', name: 'ghost' }, 'miner-images', now), { code: 404 })
  await t.rejects(readObject(client, 'Service', { namespace: 'shop', name: 'web' }), { message: 'jackstop does not remediate a Service' })
  cluster.failures.set('POST /api/v1/namespaces/shop/pods/ghost/eviction', 429)
  await t.rejects(evict(client, ghost, 'miner-images', now), { code: 429 }, 'a disruption budget says not now: retried later')
})
