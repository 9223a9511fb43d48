import t from 'tap'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, merge, policiesWithRemediation, reportOf, startWatch, until } from '../helpers/watch.ts'

const miner = deployment('stats', 'shop', 'xmrig/xmrig:6.21.0', { replicas: 3 })
const web = deployment('web', 'shop', 'nginx:1.27')
const quiet = deployment('api', 'payments', 'registry.example.com/payments/api:2.1')

const listCalls = (requests: string[], path: string) => requests.filter((line) => line.startsWith(`GET ${path}?`) && !line.includes('watch=true')).length

t.test('running miners are reported in their namespace’s PolicyReport, their pods grouped under the Deployment', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(miner, web, quiet) })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await until(t, 'reports for both namespaces', () => reportOf(cluster, 'shop') !== undefined && reportOf(cluster, 'payments') !== undefined)
  await watch.controller.idle()
  const shop = reportOf(cluster, 'shop')
  const failing = shop?.results.filter((result) => result.result === 'fail' && result.policy === 'miner-images')
  t.same(
    failing?.map((result) => result.resources[0]),
    [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'stats', namespace: 'shop', uid: 'uid-shop-stats' },
      { apiVersion: 'v1', kind: 'Pod', name: 'stats-*', namespace: 'shop', uid: 'uid-shop-stats-pod-0' },
    ],
  )
  t.equal(shop?.results.find((result) => result.resources[0]?.name === 'stats-*')?.properties?.count, '3', 'three pods, one entry')
  t.equal(reportOf(cluster, 'payments')?.summary.fail, 0, 'a clean namespace has a report without failures')
  t.same(cluster.get('apps/deployments', 'shop', 'stats')?.spec, miner['apps/deployments']?.[0]?.spec, 'a dry run changes nothing')
})

t.test('a miner created after the start is reported within seconds, from the watch stream and not from a new list', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(web) })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await until(t, 'the first report', () => reportOf(cluster, 'shop') !== undefined)
  const lists = listCalls(cluster.requests, '/apis/apps/v1/deployments')
  const late = deployment('late', 'shop', 'docker.io/xmrig/xmrig', { replicas: 1 })
  for (const [resource, objects] of Object.entries(late)) for (const object of objects) cluster.apply(resource, object)
  await until(t, 'the late miner in the report', () => reportOf(cluster, 'shop')?.results.some((result) => result.resources[0]?.name === 'late') === true)
  t.equal(listCalls(cluster.requests, '/apis/apps/v1/deployments'), lists, 'no list call since the start')
  t.ok(
    (await watch.metrics.lag.get()).values.some((value) => value.metricName === 'jackstop_watch_informer_lag_seconds_count' && value.value > 0),
    'lag measured',
  )
})

t.test('objects that disappear leave the report, and a namespace left empty loses its report', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(miner, quiet) })
  t.teardown(() => cluster.close())
  await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await until(t, 'the payments report', () => reportOf(cluster, 'payments') !== undefined)
  for (const object of quiet.pods ?? []) cluster.remove('pods', 'payments', object.metadata?.name as string)
  cluster.remove('apps/replicasets', 'payments', 'api-7c9')
  cluster.remove('apps/deployments', 'payments', 'api')
  await until(t, 'the payments report deleted', () => reportOf(cluster, 'payments') === undefined)
  t.ok(reportOf(cluster, 'shop'), 'other namespaces keep theirs')
})

t.test('a lost watch resumes from its last resourceVersion: a change made while it was down is not missed and nothing is listed again', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(web) })
  t.teardown(() => cluster.close())
  await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await until(t, 'the first report', () => reportOf(cluster, 'shop') !== undefined)
  const lists = listCalls(cluster.requests, '/apis/apps/v1/deployments')
  cluster.dropWatches()
  const late = deployment('during-outage', 'shop', 'xmrig/xmrig', { replicas: 1 })
  cluster.apply('apps/deployments', late['apps/deployments']?.[0] as never)
  await until(
    t,
    'the change made during the outage',
    () => reportOf(cluster, 'shop')?.results.some((result) => result.resources[0]?.name === 'during-outage') === true,
  )
  t.equal(listCalls(cluster.requests, '/apis/apps/v1/deployments'), lists, 'resumed, not relisted')
  t.ok(cluster.requests.some((line) => line.startsWith('GET /apis/apps/v1/deployments?') && line.includes('watch=true') && /resourceVersion=\d+/.test(line)))
})

t.test('a watch whose history is gone (410) relists, and notices what was deleted meanwhile', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(miner, web) })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await until(t, 'the miner reported', () => reportOf(cluster, 'shop')?.results.some((result) => result.resources[0]?.name === 'stats') === true)
  const lists = listCalls(cluster.requests, '/apis/apps/v1/deployments')
  // The watch is cut, the miner goes, and the API server compacts the history it would replay.
  const watches = cluster.openWatches()
  t.ok(watches > 0)
  cluster.dropWatches()
  cluster.remove('apps/deployments', 'shop', 'stats')
  cluster.compact()
  await until(
    t,
    'the deleted miner gone from the report',
    () => reportOf(cluster, 'shop')?.results.some((result) => result.resources[0]?.name === 'stats') === false,
  )
  t.ok(listCalls(cluster.requests, '/apis/apps/v1/deployments') > lists, 'relisted after 410 Gone')
  t.equal(watch.lines.filter((line) => line.level === 'warn').length, 0, 'a 410 is routine, not a warning')
})

t.test('OpenReports are written instead with --report-format openreports', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(miner) })
  t.teardown(() => cluster.close())
  await startWatch(t, cluster, { policies: await policiesWithRemediation(t), reportFormat: 'openreports' })
  await until(t, 'an OpenReports Report', () => cluster.get('openreports.io/reports', 'shop', 'jackstop-shop') !== undefined)
  t.equal(cluster.get('openreports.io/reports', 'shop', 'jackstop-shop')?.apiVersion, 'openreports.io/v1alpha1')
  t.equal(reportOf(cluster, 'shop'), undefined)
})
