import { KubeConfig } from '@kubernetes/client-node'
import { Registry } from 'prom-client'
import t from 'tap'
import { connectForWatch } from '../../src/watch/client.ts'
import { startProbeServer } from '../../src/watch/http.ts'
import { WorkQueue } from '../../src/watch/queue.ts'
import { ReportWriter } from '../../src/watch/report-writer.ts'
import { startFakeCluster } from '../helpers/fake-cluster.ts'

t.test('a queue stopped while a failed key waits for its retry does not run that key again', async (t) => {
  const ran: string[] = []
  const retried: number[] = []
  const queue = new WorkQueue(
    async (key) => {
      ran.push(key)
      throw new Error('conflict')
    },
    { retryBaseMs: 20, retryMaxMs: 20, done: () => {}, failed: (_key, _error, retryInMs) => retried.push(retryInMs) },
  )
  queue.add('shop')
  await queue.idle()
  t.same(retried, [20], 'the failure scheduled a retry')
  await queue.stop()
  await new Promise((resolve) => setTimeout(resolve, 60))
  t.same(ran, ['shop'], 'the retry was cancelled with the queue')
  queue.add('shop')
  t.equal(queue.length, 0, 'a stopped queue takes no keys')
})

t.test('deleting a report: already gone is done, any other API error is thrown so the namespace is retried', async (t) => {
  const cluster = await startFakeCluster({})
  t.teardown(() => cluster.close())
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const writer = new ReportWriter(connectForWatch(config, 10_000).custom, 'policyreport')
  cluster.failures.set('DELETE /apis/wgpolicyk8s.io/v1alpha2/namespaces/shop/policyreports/jackstop-shop', 500)
  await t.rejects(writer.write('shop', undefined), { code: 500 })
  t.equal(await writer.write('shop', undefined), true, 'a report that is not there counts as deleted')
  t.equal(await writer.write('shop', undefined), false, 'and is not deleted twice')
})

t.test('readyz answers 503 until the informers have synced, then 200', async (t) => {
  let synced = false
  const { server, port } = await startProbeServer({ host: '127.0.0.1', port: 0, ready: () => synced, registry: new Registry() })
  t.teardown(() => server.close())
  const notYet = await fetch(`http://127.0.0.1:${port}/readyz`)
  t.equal(notYet.status, 503)
  t.equal(await notYet.text(), 'informers not synced\n')
  synced = true
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz?probe=1`)).status, 200, 'the query string is ignored')
})
