// The controller on what a live cluster sends besides the common case: a metrics API with an empty
// answer, reports of another watch scoped to other namespaces, findings that go away.
import t from 'tap'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, merge, policiesWithRemediation, reportOf, startWatch, until } from '../helpers/watch.ts'

const MINER = 'xmrig/xmrig:6.21.0'
const REPORTS = 'wgpolicyk8s.io/policyreports'
const earlierReport = (namespace: string) => ({
  apiVersion: 'wgpolicyk8s.io/v1alpha2',
  kind: 'PolicyReport',
  metadata: { name: `jackstop-${namespace}`, namespace, labels: { 'app.kubernetes.io/managed-by': 'jackstop' } },
  summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 },
  results: [],
})

t.test('a PodMetrics list without items (a metrics API with nothing measured yet) is an answer, not an outage', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', 'nginx:1.27', { replicas: 1 })), metrics: false })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await watch.controller.sampleCpu()
  t.equal(watch.lines.filter((line) => line.message.startsWith('no metrics API')).length, 1)
  cluster.metrics = true
  // Go encodes a nil slice as null: what an aggregated API answers when it holds no samples.
  cluster.answers.set('GET /apis/metrics.k8s.io/v1beta1/pods', { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: null })
  await watch.controller.sampleCpu()
  t.same(
    watch.lines.filter((line) => line.message.includes('metrics API')).map((line) => `${line.level}: ${line.message}`),
    ['warn: no metrics API (metrics.k8s.io): sustained-cpu evidence is off until it answers', 'info: the metrics API answers: sustained-cpu evidence is on'],
  )
  t.equal(cluster.answers.size, 0, 'the empty list was the one asked for')
})

t.test('a watch scoped with --namespaces leaves the reports of namespaces outside its scope alone', async (t) => {
  const cluster = await startFakeCluster({
    objects: merge(deployment('stats', 'shop', MINER), { [REPORTS]: [earlierReport('shop'), earlierReport('emptied'), earlierReport('lab')] }),
  })
  t.teardown(() => cluster.close())
  const lab = cluster.get(REPORTS, 'lab', 'jackstop-lab')?.metadata?.resourceVersion
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t), namespaces: ['shop', 'emptied'] })
  // `emptied` is in scope and holds nothing: only the list of existing reports brings it to the
  // queue, in the same pass as `lab`.
  await until(t, 'the in-scope stale report deleted', () => reportOf(cluster, 'emptied') === undefined)
  await watch.controller.idle()
  t.equal(reportOf(cluster, 'shop')?.summary.fail, 2, 'the in-scope report is current')
  t.equal(cluster.get(REPORTS, 'lab', 'jackstop-lab')?.metadata?.resourceVersion, lab, 'the out-of-scope report is untouched')
  await watch.controller.sampleCpu()
  t.ok(cluster.requests.includes('GET /apis/metrics.k8s.io/v1beta1/namespaces/shop/pods'), 'CPU sampled per namespace in scope')
  t.notOk(
    cluster.requests.some((line) => line.includes('/namespaces/lab/')),
    'nothing in lab is read or written',
  )
})

t.test('the findings gauge falls back to zero when the miner is gone', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER, { replicas: 1 })) })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  const gauge = async () =>
    Object.fromEntries((await watch.metrics.findings.get()).values.map((value) => [`${value.labels.policy}/${value.labels.action}`, value.value]))
  await until(t, 'the miner reported', () => reportOf(cluster, 'shop') !== undefined)
  t.equal((await gauge())['miner-images/deny'], 2, 'the miner counted')
  for (const resource of ['pods', 'apps/replicasets', 'apps/deployments']) {
    for (const object of cluster.list(resource)) cluster.remove(resource, 'shop', object.metadata?.name as string)
  }
  await until(t, 'its report deleted', () => reportOf(cluster, 'shop') === undefined)
  await until(t, 'every count back to zero', async () => Object.values(await gauge()).every((value) => value === 0))
  t.ok(Object.keys(await gauge()).length > 0, 'the series stay, at zero')
})
