// Remediation on the states a live cluster holds besides "running, untouched": already stopped or
// quarantined before jackstop came or by jackstop, changed by hand since, or an API that refuses.
import t from 'tap'
import { QUARANTINE_POLICY_NAME, quarantine, quarantineNetworkPolicy } from '../../src/remediate/quarantine.ts'
import { QUARANTINE_LABEL, REMEDIATION_ANNOTATION, recordOf } from '../../src/remediate/record.ts'
import { scaleToZero } from '../../src/remediate/scale-to-zero.ts'
import { parseTarget, undo } from '../../src/remediate/undo.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import type { FakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, specOf, startClusterWithClient } from '../helpers/watch.ts'

const MINER = 'xmrig/xmrig:6.21.0'
const minerSpec = { containers: [{ name: 'miner', image: MINER }] }
const NOW = new Date('2026-12-02T00:00:00.000Z')

const writes = (cluster: FakeCluster) => cluster.requests.filter((line) => !line.startsWith('GET '))
const annotationOf = (object: KubeObject | undefined) => object?.metadata?.annotations?.[REMEDIATION_ANNOTATION]
const withRecord = (object: KubeObject, record: object): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, annotations: { [REMEDIATION_ANNOTATION]: JSON.stringify(record) } },
})
const record = (restore: Record<string, unknown>) => ({
  action: 'scale-to-zero',
  policy: 'miner-images',
  at: NOW.toISOString(),
  did: 'stopped it',
  undo: 'jackstop undo',
  restore,
})

function daemonSet(name: string, nodeSelector?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'ops', uid: `ds-${name}` },
    spec: { template: { spec: nodeSelector === undefined ? minerSpec : { ...minerSpec, nodeSelector } } },
  }
}

function cronJob(name: string, suspend?: boolean): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'ops', uid: `cj-${name}` },
    spec: { schedule: '@hourly', ...(suspend === undefined ? {} : { suspend }), jobTemplate: { spec: { template: { spec: minerSpec } } } },
  }
}

const selectorOf = (cluster: FakeCluster, name: string) =>
  specOf<{ template: { spec: { nodeSelector?: Record<string, string> } } }>(cluster.get('apps/daemonsets', 'ops', name)).template.spec.nodeSelector

t.test('a Deployment the owner had already scaled to zero stays at zero after undo, not one miner replica', async (t) => {
  // A Scale at zero has no spec.replicas (autoscaling/v1 ScaleSpec is an int32 with omitempty).
  const { cluster, client } = await startClusterWithClient(t, deployment('stats', 'shop', MINER, { replicas: 0 }))
  const done = await scaleToZero(client, { kind: 'Deployment', namespace: 'shop', name: 'stats' }, 'miner-images', NOW)
  t.same(done?.restore, { replicas: 0 }, 'the record keeps the zero it found')
  t.equal(specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas, 0)
  t.equal(await undo(client, parseTarget('deployment/stats', 'shop')), 'scaled Deployment shop/stats back to 0 replicas')
  t.equal(specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas, 0)
  t.equal(annotationOf(cluster.get('apps/deployments', 'shop', 'stats')), undefined, 'the record is gone')
})

t.test('a Deployment jackstop already scaled to zero is left alone: nothing is written, nothing is reported as done', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, deployment('stats', 'shop', MINER, { replicas: 3 }))
  const target = { kind: 'Deployment', namespace: 'shop', name: 'stats' }
  t.same((await scaleToZero(client, target, 'miner-images', NOW))?.restore, { replicas: 3 })
  const before = writes(cluster).length
  t.equal(await scaleToZero(client, target, 'miner-images', NOW), undefined)
  t.equal(writes(cluster).length, before)
  t.equal(await undo(client, parseTarget('deploy/stats', 'shop')), 'scaled Deployment shop/stats back to 3 replicas', 'the first record still counts')
})

t.test('undo of a Deployment whose record lost its replica count refuses to guess and changes nothing', async (t) => {
  const [stats] = deployment('stats', 'shop', MINER, { replicas: 0 })['apps/deployments'] as KubeObject[]
  const { cluster, client } = await startClusterWithClient(t, { 'apps/deployments': [withRecord(stats as KubeObject, record({}))] })
  await t.rejects(undo(client, parseTarget('deployment/stats', 'shop')), {
    code: 'JACKSTOP_ERR_UNDO',
    message: /^cannot undo: the record on Deployment shop\/stats holds no replica count to restore/,
  })
  t.same(writes(cluster), [])
  t.equal(specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas, 0, 'no miner replica started on a guess')
})

t.test('a DaemonSet jackstop already pinned to no node is left alone; undo restores the selector it had before', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { 'apps/daemonsets': [daemonSet('picky', { disk: 'ssd' })] })
  const target = { kind: 'DaemonSet', namespace: 'ops', name: 'picky' }
  t.same((await scaleToZero(client, target, 'miner-images', NOW))?.restore, { nodeSelector: { disk: 'ssd' } })
  const before = writes(cluster).length
  t.equal(await scaleToZero(client, target, 'miner-images', NOW), undefined)
  t.equal(writes(cluster).length, before, 'nothing written the second time')
  t.equal(await undo(client, parseTarget('ds/picky', 'ops')), 'restored the node selector of DaemonSet ops/picky')
  t.same(selectorOf(cluster, 'picky'), { disk: 'ssd' })
})

t.test('a DaemonSet whose pin someone removed by hand is pinned again, and undo still restores the original selector', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { 'apps/daemonsets': [daemonSet('picky', { disk: 'ssd' })] })
  const target = { kind: 'DaemonSet', namespace: 'ops', name: 'picky' }
  const first = await scaleToZero(client, target, 'miner-images', NOW)
  const unpinned = cluster.get('apps/daemonsets', 'ops', 'picky') as KubeObject
  cluster.apply('apps/daemonsets', { ...unpinned, spec: daemonSet('picky', { disk: 'ssd', zone: 'a' }).spec })
  t.same(await scaleToZero(client, target, 'miner-images', new Date(NOW.getTime() + 60_000)), first, 'the first record is kept')
  t.same(selectorOf(cluster, 'picky'), { disk: 'ssd', zone: 'a', 'jackstop.io/remediated': 'none' })
  await undo(client, parseTarget('daemonset/picky', 'ops'))
  t.same(selectorOf(cluster, 'picky'), { disk: 'ssd' })
})

t.test('undo of a DaemonSet whose node selector someone removed by hand drops the record and puts back the one before jackstop', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, {
    'apps/daemonsets': [
      withRecord(daemonSet('agent'), record({ nodeSelector: null })),
      withRecord(daemonSet('picky'), record({ nodeSelector: { disk: 'ssd' } })),
    ],
  })
  t.equal(await undo(client, parseTarget('ds/agent', 'ops')), 'restored the node selector of DaemonSet ops/agent')
  t.equal(selectorOf(cluster, 'agent'), undefined, 'it had none, and has none')
  t.equal(annotationOf(cluster.get('apps/daemonsets', 'ops', 'agent')), undefined, 'the record is gone')
  t.equal(await undo(client, parseTarget('ds/picky', 'ops')), 'restored the node selector of DaemonSet ops/picky')
  t.same(selectorOf(cluster, 'picky'), { disk: 'ssd' })
  t.equal(annotationOf(cluster.get('apps/daemonsets', 'ops', 'picky')), undefined)
})

t.test('a CronJob suspended before jackstop stays suspended after undo', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { 'batch/cronjobs': [cronJob('nightly', true)] })
  const done = await scaleToZero(client, { kind: 'CronJob', namespace: 'ops', name: 'nightly' }, 'miner-images', NOW)
  t.same(done?.restore, { suspend: true })
  t.equal(await undo(client, parseTarget('cj/nightly', 'ops')), 'left CronJob ops/nightly suspended, as it was before')
  t.equal(specOf<{ suspend?: boolean }>(cluster.get('batch/cronjobs', 'ops', 'nightly')).suspend, true)
  t.equal(annotationOf(cluster.get('batch/cronjobs', 'ops', 'nightly')), undefined)
})

t.test('a CronJob jackstop already suspended is left alone; one resumed by hand is suspended again under the first record', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { 'batch/cronjobs': [cronJob('nightly')] })
  const target = { kind: 'CronJob', namespace: 'ops', name: 'nightly' }
  const first = await scaleToZero(client, target, 'miner-images', NOW)
  const before = writes(cluster).length
  t.equal(await scaleToZero(client, target, 'miner-images', NOW), undefined)
  t.equal(writes(cluster).length, before, 'nothing written the second time')
  const suspended = cluster.get('batch/cronjobs', 'ops', 'nightly') as KubeObject
  cluster.apply('batch/cronjobs', { ...suspended, spec: { ...(suspended.spec as object), suspend: false } })
  t.same(await scaleToZero(client, target, 'miner-images', new Date(NOW.getTime() + 60_000)), first)
  t.equal(specOf<{ suspend?: boolean }>(cluster.get('batch/cronjobs', 'ops', 'nightly')).suspend, true)
  t.equal(await undo(client, parseTarget('cronjob/nightly', 'ops')), 'resumed CronJob ops/nightly', 'it ran before jackstop, so it runs again')
})

t.test('undo of a bare Pod that carries a scale-to-zero record refuses: that action deletes a bare Pod, so nothing is left to restore', async (t) => {
  const pod = withRecord({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loner', namespace: 'ops' }, spec: minerSpec }, record({}))
  const { cluster, client } = await startClusterWithClient(t, { pods: [pod] })
  await t.rejects(undo(client, parseTarget('pod/loner', 'ops')), { code: 'JACKSTOP_ERR_UNDO', message: /Pod ops\/loner .*leaves nothing to undo/ })
  t.same(writes(cluster), [])
})

const minerPod = { kind: 'Pod', namespace: 'shop', name: 'stats-0' }
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'stats-0', namespace: 'shop', labels: { app: 'stats' } },
  spec: { containers: [{ name: 'miner', image: 'xmrig/xmrig' }] },
}
const NETWORK_POLICIES = 'networking.k8s.io/networkpolicies'

const podOf = (cluster: FakeCluster) => cluster.get('pods', 'shop', 'stats-0')

t.test('a pod already quarantined is left alone: nothing is written and nothing is reported as done', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { pods: [pod] })
  const first = await quarantine(client, minerPod, 'miner-images', NOW)
  t.same(podOf(cluster)?.metadata?.labels, { app: 'stats', [QUARANTINE_LABEL]: 'true' })
  t.same(recordOf(podOf(cluster) as KubeObject), first)
  const before = writes(cluster).length
  t.equal(await quarantine(client, minerPod, 'miner-images', new Date(NOW.getTime() + 60_000)), undefined)
  t.equal(writes(cluster).length, before)
})

t.test('a quarantine label without its record (set by hand) is quarantined properly: NetworkPolicy and record', async (t) => {
  const labelled = { ...pod, metadata: { ...pod.metadata, labels: { [QUARANTINE_LABEL]: 'true' } } }
  const { cluster, client } = await startClusterWithClient(t, { pods: [labelled] })
  t.equal((await quarantine(client, minerPod, 'miner-images', NOW))?.action, 'quarantine')
  t.ok(cluster.get(NETWORK_POLICIES, 'shop', QUARANTINE_POLICY_NAME), 'the NetworkPolicy that makes the label mean something')
  t.equal(recordOf(podOf(cluster) as KubeObject)?.action, 'quarantine')
})

t.test('a NetworkPolicy already in the namespace is kept, and the next miner pod joins it', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { pods: [pod], [NETWORK_POLICIES]: [quarantineNetworkPolicy('shop')] })
  const version = cluster.get(NETWORK_POLICIES, 'shop', QUARANTINE_POLICY_NAME)?.metadata?.resourceVersion
  t.equal((await quarantine(client, minerPod, 'miner-images', NOW))?.action, 'quarantine')
  t.equal(cluster.get(NETWORK_POLICIES, 'shop', QUARANTINE_POLICY_NAME)?.metadata?.resourceVersion, version, 'the NetworkPolicy is not rewritten')
  t.equal(podOf(cluster)?.metadata?.labels?.[QUARANTINE_LABEL], 'true')
})

t.test('a NetworkPolicy create refused with 403 is an error, and the pod is not labelled as if it were cut off', async (t) => {
  const { cluster, client } = await startClusterWithClient(t, { pods: [pod] })
  cluster.failures.set('POST /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies', 403)
  await t.rejects(quarantine(client, minerPod, 'miner-images', NOW), { code: 403 })
  t.same(podOf(cluster)?.metadata?.labels, { app: 'stats' })
  t.equal(podOf(cluster)?.metadata?.annotations?.[REMEDIATION_ANNOTATION], undefined, 'no record claims a quarantine that did not happen')
  t.same(cluster.list(NETWORK_POLICIES), [])
})
