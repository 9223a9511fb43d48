// A remediation the API keeps refusing (RBAC without the verb, an admission policy) must not hide
// the namespace's findings: the report is written, says the remediation failed, and is retried.
import t from 'tap'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, policiesWithRemediation, reportOf, startWatch, until } from '../helpers/watch.ts'

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
