import t from 'tap'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, earlierReport, merge, policiesWithRemediation, reportOf, specOf, startWatch, until } from '../helpers/watch.ts'

const MINER = 'xmrig/xmrig:6.21.0'

t.test('reports left by an earlier run are replaced, and one whose namespace is empty now is deleted by the new leader', async (t) => {
  const cluster = await startFakeCluster({
    objects: merge(deployment('stats', 'shop', MINER), { 'wgpolicyk8s.io/policyreports': [earlierReport('shop', 9), earlierReport('gone', 9)] }),
  })
  t.teardown(() => cluster.close())
  await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await until(t, 'the stale report deleted', () => reportOf(cluster, 'gone') === undefined)
  await until(t, 'the old report replaced', () => (reportOf(cluster, 'shop')?.results.length ?? 0) > 0)
  t.equal(reportOf(cluster, 'shop')?.summary.fail, 2)
})

t.test('a report write the API refuses is retried until it succeeds', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER)) })
  t.teardown(() => cluster.close())
  cluster.failures.set('POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports', 500)
  cluster.failures.set('GET /apis/wgpolicyk8s.io/v1alpha2/policyreports', 403)
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await until(t, 'the report after a retry', () => reportOf(cluster, 'shop') !== undefined)
  t.ok(watch.lines.some((line) => line.level === 'warn' && line.message === 'reconcile failed; retrying' && line.fields.namespace === 'shop'))
  t.ok(watch.lines.some((line) => line.message === 'cannot list existing reports; stale ones stay until their namespace changes'))
  t.ok(((await watch.metrics.watchErrors.get()).values[0]?.value ?? 0) > 0, 'counted as errors')
})

t.test('a remediation the API refuses is logged, counted as failed, and done on a later try', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', MINER, { replicas: 3 })) })
  t.teardown(() => cluster.close())
  cluster.failures.set('PATCH /apis/apps/v1/namespaces/shop/deployments/stats/scale', 403)
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t), remediation: 'enforce' })
  await until(t, 'scaled on the retry', () => specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas === 0)
  await until(t, 'the Event', () => cluster.list('events').some((event) => event.reason === 'Remediated'))
  await watch.controller.idle()
  const failed = watch.lines.find((line) => line.level === 'error')
  t.match(failed, { message: 'cannot scale Deployment shop/stats to zero replicas through its scale subresource', fields: { error: /^403/ } })
  const outcomes = (await watch.metrics.remediations.get()).values.map((value) => `${value.labels.outcome}=${value.value}`)
  t.same(outcomes.sort(), ['done=1', 'failed=1'])
  t.match(JSON.parse(cluster.get('apps/deployments', 'shop', 'stats')?.metadata?.annotations?.['jackstop.io/remediation'] ?? '{}'), {
    restore: { replicas: 3 },
  })
})
