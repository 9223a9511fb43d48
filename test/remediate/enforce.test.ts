import { KubeConfig } from '@kubernetes/client-node'
import t from 'tap'
import { connect } from '../../src/kube/cluster.ts'
import { parseTarget, undo } from '../../src/remediate/undo.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { type FakeCluster, startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, merge, policiesWithRemediation, reportOf, specOf, startWatch, until } from '../helpers/watch.ts'

const MINER = 'xmrig/xmrig:6.21.0'
const minerSpec = { containers: [{ name: 'miner', image: MINER }] }

const events = (cluster: FakeCluster, reason: string) => cluster.list('events').filter((event) => event.reason === reason)
const versions = (cluster: FakeCluster, resources: string[]) =>
  resources.flatMap((resource) =>
    cluster.list(resource).map((object) => `${resource}/${object.metadata?.namespace}/${object.metadata?.name}@${object.metadata?.resourceVersion}`),
  )
const annotation = (object: KubeObject | undefined) => JSON.parse(object?.metadata?.annotations?.['jackstop.io/remediation'] ?? '{}') as Record<string, unknown>

function clientFor(cluster: FakeCluster) {
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  return connect(config)
}

const WORKLOADS = ['apps/deployments', 'apps/replicasets', 'apps/daemonsets', 'batch/cronjobs', 'pods', 'networking.k8s.io/networkpolicies']

t.test('enforce: a miner Deployment is scaled to zero through the scale subresource, with an Event and an annotation that says how to undo it', async (t) => {
  const web = deployment('web', 'shop', 'nginx:1.27')
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER, { replicas: 3 }), web) })
  t.teardown(() => cluster.close())
  const webBefore = versions(cluster, WORKLOADS).filter((line) => line.includes('/web'))
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t), remediation: 'enforce' })
  await until(t, 'the miner scaled to zero', () => specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas === 0)
  await until(t, 'the Event', () => events(cluster, 'Remediated').length === 1)
  t.ok(
    cluster.requests.some((line) => line.startsWith('PATCH /apis/apps/v1/namespaces/shop/deployments/stats/scale')),
    'through the scale subresource',
  )
  const record = annotation(cluster.get('apps/deployments', 'shop', 'stats'))
  t.match(record, { action: 'scale-to-zero', policy: 'miner-images', undo: 'jackstop undo deployment/stats -n shop', restore: { replicas: 3 } })
  const [event] = events(cluster, 'Remediated')
  t.match(event, { involvedObject: { kind: 'Deployment', name: 'stats', namespace: 'shop' }, type: 'Warning', source: { component: 'jackstop-watch' } })
  t.match(
    event?.message,
    /^jackstop did scale Deployment shop\/stats to zero replicas through its scale subresource, for: .*To undo: jackstop undo deployment\/stats -n shop$/,
  )
  t.same(
    versions(cluster, WORKLOADS).filter((line) => line.includes('/web')),
    webBefore,
    'the clean Deployment is untouched',
  )
  await until(t, 'the report notes it', () => reportOf(cluster, 'shop')?.results.some((result) => result.policy === 'remediation') === true)
  // Reconciling again (the objects change under it) does nothing more: make it so, once.
  const reconciled = async () => (await watch.metrics.lag.get()).values.find((value) => value.metricName?.endsWith('_count'))?.value ?? 0
  const before = await reconciled()
  const after = versions(cluster, ['apps/deployments'])
  for (const object of cluster.list('apps/deployments')) cluster.apply('apps/deployments', object)
  await until(t, 'reconciled again', async () => (await reconciled()) > before)
  await watch.controller.idle()
  t.equal(events(cluster, 'Remediated').length, 1, 'one Event, one action')
  t.equal(versions(cluster, ['apps/deployments']).length, after.length)
  t.equal(cluster.requests.filter((line) => line.startsWith('PATCH /apis/apps/v1/namespaces/shop/deployments/stats/scale')).length, 1, 'scaled once')
  t.equal((await watch.metrics.remediations.get()).values.find((value) => value.labels.mode === 'enforce' && value.labels.outcome === 'done')?.value, 1)

  const message = await undo(clientFor(cluster), parseTarget('deployment/stats', 'shop'))
  t.equal(message, 'scaled Deployment shop/stats back to 3 replicas')
})

t.test('a dry run changes nothing: the would-be action is logged, reported and recorded as an Event, once', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER, { replicas: 3 })) })
  t.teardown(() => cluster.close())
  const before = versions(cluster, WORKLOADS)
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t), remediation: 'dry-run' })
  await until(t, 'the would-be Event', () => events(cluster, 'WouldRemediate').length === 1)
  await until(t, 'the report notes it', () => reportOf(cluster, 'shop')?.results.some((result) => result.policy === 'remediation') === true)
  await watch.controller.idle()
  t.same(versions(cluster, WORKLOADS), before, 'no workload changed')
  t.match(events(cluster, 'WouldRemediate')[0]?.message, /^dry run: jackstop would scale Deployment shop\/stats to zero replicas/)
  t.match(
    reportOf(cluster, 'shop')?.results.find((result) => result.policy === 'remediation')?.message,
    /^dry run, nothing changed: scale Deployment shop\/stats to zero replicas .*\(miner-images\)$/,
  )
  t.same(
    watch.lines.filter((line) => line.message.startsWith('would ')).map((line) => line.fields),
    [
      {
        action: 'scale-to-zero',
        mode: 'dry-run',
        policy: 'miner-images',
        target: 'Deployment shop/stats',
        finding: watch.lines.find((line) => line.message.startsWith('would '))?.fields.finding,
      },
    ],
  )
  t.equal(events(cluster, 'Remediated').length, 0)
})

t.test('kube-system, jackstop’s own namespace and what a policy exempts are never touched, even when enforcing', async (t) => {
  const cluster = await startFakeCluster({
    objects: merge(
      deployment('a', 'kube-system', MINER),
      deployment('b', 'jackstop-system', MINER),
      deployment('c', 'lab', MINER),
      deployment('d', 'shop', MINER),
    ),
  })
  t.teardown(() => cluster.close())
  const before = versions(cluster, WORKLOADS).filter((line) => !line.includes('/shop/'))
  await startWatch(t, cluster, { policies: await policiesWithRemediation(t, 'scale-to-zero', ['lab']), remediation: 'enforce' })
  await until(t, 'the unprotected miner scaled', () => specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'd')).replicas === 0)
  await until(t, 'kube-system reported', () => reportOf(cluster, 'kube-system') !== undefined)
  await until(t, 'the Event', () => events(cluster, 'Remediated').length === 1)
  t.same(
    versions(cluster, WORKLOADS).filter((line) => !line.includes('/shop/')),
    before,
  )
  t.same(
    events(cluster, 'Remediated').map((event) => event.involvedObject),
    [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', namespace: 'shop', uid: 'uid-shop-d' }],
  )
})

t.test('scale-to-zero stops each kind its own way: a DaemonSet runs nowhere, a CronJob is suspended, a bare Pod is deleted; undo restores', async (t) => {
  const daemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'ops', uid: 'ds-1' },
    spec: { template: { spec: minerSpec } },
  }
  const cronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'ops', uid: 'cj-1' },
    spec: { schedule: '@hourly', jobTemplate: { spec: { template: { spec: minerSpec } } } },
  }
  const bare = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loner', namespace: 'ops', uid: 'pod-1' }, spec: minerSpec }
  const selected = {
    ...daemonSet,
    metadata: { ...daemonSet.metadata, name: 'picky', uid: 'ds-2' },
    spec: { template: { spec: { ...minerSpec, nodeSelector: { disk: 'ssd' } } } },
  }
  const cluster = await startFakeCluster({ objects: { 'apps/daemonsets': [daemonSet, selected], 'batch/cronjobs': [cronJob], pods: [bare] } })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t), remediation: 'enforce' })
  await until(t, 'all four remediated', () => events(cluster, 'Remediated').length === 4)
  await watch.stop()
  const templateOf = (name: string) => specOf<{ template: { spec: { nodeSelector?: object } } }>(cluster.get('apps/daemonsets', 'ops', name)).template.spec
  t.same(templateOf('agent').nodeSelector, { 'jackstop.io/remediated': 'none' })
  t.same(templateOf('picky').nodeSelector, { disk: 'ssd', 'jackstop.io/remediated': 'none' })
  t.equal(specOf<{ suspend?: boolean }>(cluster.get('batch/cronjobs', 'ops', 'nightly')).suspend, true)
  t.equal(cluster.get('pods', 'ops', 'loner'), undefined)

  const client = clientFor(cluster)
  t.equal(await undo(client, parseTarget('ds/agent', 'ops')), 'restored the node selector of DaemonSet ops/agent')
  t.equal(await undo(client, parseTarget('daemonsets/picky', 'ops')), 'restored the node selector of DaemonSet ops/picky')
  t.equal(await undo(client, parseTarget('cronjob/nightly', 'ops')), 'resumed CronJob ops/nightly')
  t.same(templateOf('agent'), minerSpec)
  t.same(templateOf('picky').nodeSelector, { disk: 'ssd' })
  t.same(cluster.get('batch/cronjobs', 'ops', 'nightly')?.spec, { ...cronJob.spec, suspend: false })
  for (const [resource, name] of [
    ['apps/daemonsets', 'agent'],
    ['batch/cronjobs', 'nightly'],
  ] as const) {
    t.equal(cluster.get(resource, 'ops', name)?.metadata?.annotations?.['jackstop.io/remediation'], undefined, `${name}: the record is gone`)
  }
  await t.rejects(undo(client, parseTarget('cronjob/nightly', 'ops')), { code: 'JACKSTOP_ERR_UNDO', message: /has no jackstop\.io\/remediation annotation/ })
})

t.test('quarantine labels the pod and adds a NetworkPolicy that denies its egress; undo lifts it', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER, { replicas: 2 })) })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t, 'quarantine'), remediation: 'enforce' })
  await until(t, 'both pods quarantined', () => events(cluster, 'Remediated').length === 2)
  await watch.stop()
  t.same(cluster.get('networking.k8s.io/networkpolicies', 'shop', 'jackstop-quarantine')?.spec, {
    podSelector: { matchLabels: { 'jackstop.io/quarantined': 'true' } },
    policyTypes: ['Egress'],
    egress: [],
  })
  t.same(
    cluster.list('pods').map((pod) => pod.metadata?.labels),
    [
      { app: 'stats', 'jackstop.io/quarantined': 'true' },
      { app: 'stats', 'jackstop.io/quarantined': 'true' },
    ],
  )
  t.equal(specOf<{ replicas: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas, 2, 'still running, cut off')
  t.equal(
    await undo(clientFor(cluster), parseTarget('pod/stats-7c9-0', 'shop')),
    'removed the quarantine label from Pod shop/stats-7c9-0; its egress is open again',
  )
  t.same(cluster.get('pods', 'shop', 'stats-7c9-0')?.metadata?.labels, { app: 'stats' })
  t.equal(cluster.get('pods', 'shop', 'stats-7c9-0')?.metadata?.annotations?.['jackstop.io/remediation'], undefined)
})

t.test('evict sends each miner pod through the Eviction API; there is nothing to undo', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER, { replicas: 2 })) })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t, 'evict'), remediation: 'enforce' })
  await until(t, 'both pods evicted', () => cluster.list('pods').length === 0)
  await until(t, 'two Events', () => events(cluster, 'Remediated').length === 2)
  await watch.stop()
  t.equal(cluster.requests.filter((line) => /^POST \/api\/v1\/namespaces\/shop\/pods\/stats-7c9-\d\/eviction/.test(line)).length, 2)
  t.match(events(cluster, 'Remediated')[0]?.message, /evict Pod shop\/stats-7c9-\d through the Eviction API/)
})

t.test('undo names what it cannot do', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER, { replicas: 1 })) })
  t.teardown(() => cluster.close())
  const client = clientFor(cluster)
  t.throws(() => parseTarget('stats', 'shop'), { code: 'JACKSTOP_ERR_UNDO', message: /"stats" is not KIND\/NAME/ })
  t.throws(() => parseTarget('service/web', 'shop'), { code: 'JACKSTOP_ERR_UNDO' })
  t.throws(() => parseTarget('deployment/a/b', 'shop'), { code: 'JACKSTOP_ERR_UNDO' })
  const record = { action: 'evict', policy: 'miner-images', at: '', did: '', undo: '', restore: {} }
  cluster.apply('pods', {
    ...cluster.get('pods', 'shop', 'stats-7c9-0'),
    metadata: { ...cluster.get('pods', 'shop', 'stats-7c9-0')?.metadata, annotations: { 'jackstop.io/remediation': JSON.stringify(record) } },
  })
  await t.rejects(undo(client, parseTarget('pod/stats-7c9-0', 'shop')), { message: /was changed by "evict", which leaves nothing to undo/ })
  cluster.apply('pods', {
    ...cluster.get('pods', 'shop', 'stats-7c9-0'),
    metadata: { name: 'stats-7c9-0', namespace: 'shop', annotations: { 'jackstop.io/remediation': 'not json' } },
  })
  await t.rejects(undo(client, parseTarget('po/stats-7c9-0', 'shop')), { code: 'JACKSTOP_ERR_UNDO' })
})
