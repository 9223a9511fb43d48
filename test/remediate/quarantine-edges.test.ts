// quarantine on the states a live cluster holds besides "a fresh namespace": the NetworkPolicy
// already there, the pod already quarantined, and an API that refuses the NetworkPolicy.
import t from 'tap'
import { QUARANTINE_POLICY_NAME, quarantine, quarantineNetworkPolicy } from '../../src/remediate/quarantine.ts'
import { QUARANTINE_LABEL, REMEDIATION_ANNOTATION, recordOf } from '../../src/remediate/record.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import type { FakeCluster } from '../helpers/fake-cluster.ts'
import { startClusterWithClient } from '../helpers/watch.ts'

const NOW = new Date('2026-12-02T00:00:00.000Z')
const miner = { kind: 'Pod', namespace: 'shop', name: 'stats-0' }
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'stats-0', namespace: 'shop', labels: { app: 'stats' } },
  spec: { containers: [{ name: 'miner', image: 'xmrig/xmrig' }] },
}
const NETWORK_POLICIES = 'networking.k8s.io/networkpolicies'

const writes = (cluster: FakeCluster) => cluster.requests.filter((line) => !line.startsWith('GET '))
const podOf = (cluster: FakeCluster) => cluster.get('pods', 'shop', 'stats-0')

t.test('a pod already quarantined is left alone: nothing is written and nothing is reported as done', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { pods: [pod] })
  const first = await quarantine(client, miner, 'miner-images', NOW)
  t.same(podOf(cluster)?.metadata?.labels, { app: 'stats', [QUARANTINE_LABEL]: 'true' })
  t.same(recordOf(podOf(cluster) as KubeObject), first)
  const before = writes(cluster).length
  t.equal(await quarantine(client, miner, 'miner-images', new Date(NOW.getTime() + 60_000)), undefined)
  t.equal(writes(cluster).length, before)
})

t.test('a quarantine label without its record (set by hand) is quarantined properly: NetworkPolicy and record', async (t) => {
  const labelled = { ...pod, metadata: { ...pod.metadata, labels: { [QUARANTINE_LABEL]: 'true' } } }
  const { cluster, client } = await startClusterWithClient(t, { pods: [labelled] })
  t.equal((await quarantine(client, miner, 'miner-images', NOW))?.action, 'quarantine')
  t.ok(cluster.get(NETWORK_POLICIES, 'shop', QUARANTINE_POLICY_NAME), 'the NetworkPolicy that makes the label mean something')
  t.equal(recordOf(podOf(cluster) as KubeObject)?.action, 'quarantine')
})

t.test('a NetworkPolicy already in the namespace is kept, and the next miner pod joins it', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { pods: [pod], [NETWORK_POLICIES]: [quarantineNetworkPolicy('shop')] })
  const version = cluster.get(NETWORK_POLICIES, 'shop', QUARANTINE_POLICY_NAME)?.metadata?.resourceVersion
  t.equal((await quarantine(client, miner, 'miner-images', NOW))?.action, 'quarantine')
  t.equal(cluster.get(NETWORK_POLICIES, 'shop', QUARANTINE_POLICY_NAME)?.metadata?.resourceVersion, version, 'the NetworkPolicy is not rewritten')
  t.equal(podOf(cluster)?.metadata?.labels?.[QUARANTINE_LABEL], 'true')
})

t.test('a NetworkPolicy create refused with 403 is an error, and the pod is not labelled as if it were cut off', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { pods: [pod] })
  cluster.failures.set('POST /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies', 403)
  await t.rejects(quarantine(client, miner, 'miner-images', NOW), { code: 403 })
  t.same(podOf(cluster)?.metadata?.labels, { app: 'stats' })
  t.equal(podOf(cluster)?.metadata?.annotations?.[REMEDIATION_ANNOTATION], undefined, 'no record claims a quarantine that did not happen')
  t.same(cluster.list(NETWORK_POLICIES), [])
})
