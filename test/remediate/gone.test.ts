import { KubeConfig } from '@kubernetes/client-node'
import t from 'tap'
import { connect } from '../../src/kube/cluster.ts'
import { KIND_APIS, readObject } from '../../src/remediate/api.ts'
import { evict } from '../../src/remediate/evict.ts'
import { quarantine } from '../../src/remediate/quarantine.ts'
import { REMEDIATION_ANNOTATION, recordOf } from '../../src/remediate/record.ts'
import { scaleToZero } from '../../src/remediate/scale-to-zero.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
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

t.test('an API failure other than 404 while reading or deleting the pod is thrown, so the remediation is retried', async (t) => {
  const cluster = await startFakeCluster({ objects: { pods: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'miner', namespace: 'shop' } }] } })
  t.teardown(() => cluster.close())
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const client = connect(config)
  const miner = { kind: 'Pod', namespace: 'shop', name: 'miner' }
  cluster.failures.set('GET /api/v1/namespaces/shop/pods/miner', 503)
  await t.rejects(quarantine(client, miner, 'miner-images', new Date()), { code: 503 })
  t.same(cluster.list('networking.k8s.io/networkpolicies'), [], 'nothing isolated on a read that failed')
  cluster.failures.set('DELETE /api/v1/namespaces/shop/pods/miner', 503)
  await t.rejects(scaleToZero(client, miner, 'miner-images', new Date()), { code: 503 })
  t.ok(cluster.get('pods', 'shop', 'miner'), 'the pod is still there to be deleted on the retry')
})

t.test('every kind jackstop remediates is read and patched through its own API path', async (t) => {
  const kinds: Array<[kind: string, resource: string, apiVersion: string]> = [
    ['Deployment', 'apps/deployments', 'apps/v1'],
    ['StatefulSet', 'apps/statefulsets', 'apps/v1'],
    ['ReplicaSet', 'apps/replicasets', 'apps/v1'],
    ['ReplicationController', 'replicationcontrollers', 'v1'],
    ['DaemonSet', 'apps/daemonsets', 'apps/v1'],
    ['CronJob', 'batch/cronjobs', 'batch/v1'],
    ['Job', 'batch/jobs', 'batch/v1'],
    ['Pod', 'pods', 'v1'],
  ]
  const objects: Record<string, KubeObject[]> = {}
  for (const [kind, resource, apiVersion] of kinds) {
    objects[resource] = [{ apiVersion, kind, metadata: { name: 'stats', namespace: 'shop', labels: {} }, spec: { replicas: 2 } }]
  }
  const cluster = await startFakeCluster({ objects })
  t.teardown(() => cluster.close())
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const client = connect(config)
  const at = { namespace: 'shop', name: 'stats' }
  t.same(Object.keys(KIND_APIS).sort(), kinds.map(([kind]) => kind).sort(), 'the table and this test cover the same kinds')
  for (const [kind, resource] of kinds) {
    const api = KIND_APIS[kind] as (typeof KIND_APIS)[string]
    t.equal((await readObject(client, kind, at)).kind, kind, `${kind} read`)
    await api.patch(client, at, [{ op: 'add', path: '/metadata/labels/jackstop.io~1quarantined', value: 'true' }])
    t.equal(cluster.get(resource, 'shop', 'stats')?.metadata?.labels?.['jackstop.io/quarantined'], 'true', `${kind} patched`)
    if (api.readScale === undefined || api.patchScale === undefined) continue
    t.equal((await api.readScale(client, at)).spec?.replicas, 2, `${kind} scale read`)
    await api.patchScale(client, at, [{ op: 'replace', path: '/spec/replicas', value: 0 }])
    t.same((await api.readScale(client, at)).spec, {}, `${kind} scaled to zero: its Scale omits spec.replicas, as the API server's does`)
  }
})

t.test('a remediation annotation that parses to something other than a record is no record', async (t) => {
  const annotated = (text: string): KubeObject => ({ metadata: { annotations: { [REMEDIATION_ANNOTATION]: text } } })
  t.equal(recordOf(annotated('null')), undefined)
  t.equal(recordOf(annotated('7')), undefined)
  t.equal(recordOf(annotated('{"action":1}')), undefined)
  t.equal(recordOf(annotated('{not json')), undefined)
  t.equal(recordOf(annotated('{"action":"evict"}'))?.action, 'evict')
})
