// The controller on what a live cluster sends besides the common case: a metrics API with an empty
// answer, reports of another watch scoped to other namespaces, findings that go away, and
// remediations or Events the API refuses (RBAC without the verb, an admission policy), which must
// not hide the namespace's findings: the report is written and says what failed; a failed action
// is retried, a refused Event is logged (Events are best effort).
import t from 'tap'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, earlierReport, merge, policiesWithRemediation, reportOf, specOf, startWatch, until } from '../helpers/watch.ts'

const MINER = 'xmrig/xmrig:6.21.0'
const REPORTS = 'wgpolicyk8s.io/policyreports'

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

const CREATE_NETWORK_POLICY = 'POST /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies'

t.test('a NetworkPolicy create refused with 403 shows in the report as a failed remediation, next to the findings, until it succeeds', async (t) => {
  const cluster = await startFakeCluster({ objects: deployment('stats', 'shop', MINER, { replicas: 1 }) })
  t.teardown(() => cluster.close())
  cluster.refusals.set(CREATE_NETWORK_POLICY, 403)
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t, 'quarantine'), remediation: 'enforce', backoffMs: 20 })
  const remediationResults = () => reportOf(cluster, 'shop')?.results.filter((result) => result.policy === 'remediation') ?? []
  await until(t, 'the report', () => remediationResults().length > 0)
  t.match(remediationResults(), [
    { result: 'warn', message: /^remediation failed, retried: cannot label Pod shop\/stats-7c9-0 jackstop\.io\/quarantined=true.*\(miner-images\): 403/ },
  ])
  t.ok(
    reportOf(cluster, 'shop')?.results.some((result) => result.policy === 'miner-images' && result.result === 'fail'),
    'the miner is reported though its remediation failed',
  )
  t.same(cluster.get('pods', 'shop', 'stats-7c9-0')?.metadata?.labels, { app: 'stats' }, 'not labelled: its egress is not cut')
  t.match(
    watch.lines.find((line) => line.level === 'error'),
    { message: /^cannot label Pod shop\/stats-7c9-0/, fields: { error: /^403/ } },
  )

  // `kubectl get events` shows the failure where the operator looks, once however often it is retried.
  await until(t, 'a second attempt', () => watch.lines.filter((line) => line.level === 'error').length >= 2)
  const failed = cluster.list('events').filter((event) => event.reason === 'RemediationFailed')
  t.equal(failed.length, 1, 'one RemediationFailed Event for retries that fail the same way')
  t.match(failed[0], {
    type: 'Warning',
    involvedObject: { kind: 'Pod', name: 'stats-7c9-0' },
    message: /^jackstop cannot label Pod shop\/stats-7c9-0 .*\(miner-images\): 403/,
  })

  cluster.refusals.delete(CREATE_NETWORK_POLICY)
  await until(t, 'quarantined on a retry', () => remediationResults().every((result) => result.message.startsWith('remediation: label')))
  t.equal(cluster.list('events').filter((event) => event.reason === 'Remediated').length, 1, 'the success is an Event too')
  t.equal(cluster.get('pods', 'shop', 'stats-7c9-0')?.metadata?.labels?.['jackstop.io/quarantined'], 'true')
  const outcomes = (await watch.metrics.remediations.get()).values.filter((value) => value.labels.outcome === 'done').map((value) => value.value)
  t.same(outcomes, [1])
})

const CREATE_EVENT = 'POST /api/v1/namespaces/shop/events'

t.test('a dry run whose Event the API refuses is still reported and logged; the refusal is logged, not retried forever', async (t) => {
  const cluster = await startFakeCluster({ objects: deployment('stats', 'shop', MINER, { replicas: 1 }) })
  t.teardown(() => cluster.close())
  cluster.refusals.set(CREATE_EVENT, 403)
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t), remediation: 'dry-run' })
  await until(t, 'the report', () => reportOf(cluster, 'shop')?.results.some((result) => result.policy === 'remediation') === true)
  await watch.controller.idle()
  t.match(
    reportOf(cluster, 'shop')?.results.find((result) => result.policy === 'remediation')?.message,
    /^dry run, nothing changed: scale Deployment shop\/stats to zero replicas/,
  )
  t.ok(watch.lines.some((line) => line.level === 'info' && line.message.startsWith('would scale Deployment shop/stats')))
  t.match(
    watch.lines.filter((line) => line.level === 'error'),
    [{ message: 'cannot record the WouldRemediate Event', fields: { target: 'Deployment shop/stats', error: /^403/ } }],
  )
  t.notOk(
    watch.lines.some((line) => line.message === 'reconcile failed; retrying'),
    'Events are best effort, as client-go treats them',
  )
})

t.test('an enforced remediation whose Event the API refuses is done and counted as done, not as failed', async (t) => {
  const cluster = await startFakeCluster({ objects: deployment('stats', 'shop', MINER, { replicas: 3 }) })
  t.teardown(() => cluster.close())
  cluster.refusals.set(CREATE_EVENT, 403)
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t), remediation: 'enforce' })
  await until(t, 'the report notes it', () => reportOf(cluster, 'shop')?.results.some((result) => result.policy === 'remediation') === true)
  await watch.controller.idle()
  t.equal(specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas, 0)
  const outcomes = (await watch.metrics.remediations.get()).values.map((value) => `${value.labels.outcome}=${value.value}`)
  t.same(outcomes, ['done=1'])
  t.match(
    watch.lines.filter((line) => line.level === 'error'),
    [{ message: 'cannot record the Remediated Event', fields: { target: 'Deployment shop/stats', error: /^403/ } }],
  )
  t.match(
    reportOf(cluster, 'shop')?.results.find((result) => result.policy === 'remediation')?.message,
    /^remediation: scale Deployment shop\/stats to zero replicas/,
  )
})
