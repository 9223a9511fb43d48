// A remediation or an Event the API refuses (RBAC without the verb, an admission policy) must not
// hide the namespace's findings: the report is written and says what failed; a failed action is
// retried, a refused Event is logged (Events are best effort).
import t from 'tap'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, policiesWithRemediation, reportOf, specOf, startWatch, until } from '../helpers/watch.ts'

const CREATE_NETWORK_POLICY = 'POST /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies'

t.test('a NetworkPolicy create refused with 403 shows in the report as a failed remediation, next to the findings, until it succeeds', async (t) => {
  const cluster = await startFakeCluster({ objects: deployment('stats', 'shop', 'xmrig/xmrig:6.21.0', { replicas: 1 }) })
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

  cluster.refusals.delete(CREATE_NETWORK_POLICY)
  await until(t, 'quarantined on a retry', () => remediationResults().every((result) => result.message.startsWith('remediation: label')))
  t.equal(cluster.get('pods', 'shop', 'stats-7c9-0')?.metadata?.labels?.['jackstop.io/quarantined'], 'true')
  const outcomes = (await watch.metrics.remediations.get()).values.filter((value) => value.labels.outcome === 'done').map((value) => value.value)
  t.same(outcomes, [1])
})

const CREATE_EVENT = 'POST /api/v1/namespaces/shop/events'

t.test('a dry run whose Event the API refuses is still reported and logged; the refusal is logged, not retried forever', async (t) => {
  const cluster = await startFakeCluster({ objects: deployment('stats', 'shop', 'xmrig/xmrig:6.21.0', { replicas: 1 }) })
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
  const cluster = await startFakeCluster({ objects: deployment('stats', 'shop', 'xmrig/xmrig:6.21.0', { replicas: 3 }) })
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
