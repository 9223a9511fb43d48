import t from 'tap'
import { Informer, type InformerSource, type ListPage, type Watcher } from '../../src/watch/informer.ts'
import { WorkQueue } from '../../src/watch/queue.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

const pod = (name: string, resourceVersion: string): KubeObject => ({ metadata: { name, namespace: 'shop', resourceVersion } })

type Script = (onEvent: (type: string, object: unknown) => void, done: (error: unknown) => void) => void

/** A watcher that plays one script per watch request, recording each request's query. */
function scriptedWatcher(scripts: Script[]): Watcher & { queries: Record<string, unknown>[] } {
  const queries: Record<string, unknown>[] = []
  return {
    queries,
    async watch(_path, query, onEvent, done) {
      queries.push(query)
      const controller = new AbortController()
      // An open watch holds a socket; this timer stands in for it, so the process stays up.
      const socket = setInterval(() => {}, 1000)
      const finish = (error: unknown) => {
        clearInterval(socket)
        done(error)
      }
      controller.signal.addEventListener('abort', () => finish(null))
      const script = scripts.shift()
      if (script !== undefined) setImmediate(() => script(onEvent, finish))
      return controller
    },
  }
}

function source(pages: (() => ListPage | Promise<ListPage>)[]): InformerSource & { lists: number } {
  const result = {
    kind: 'Pod',
    apiVersion: 'v1',
    label: 'pods',
    watchPath: '/api/v1/pods',
    lists: 0,
    async list() {
      result.lists++
      const page = pages.shift()
      if (page === undefined) throw new Error('no more pages scripted')
      return page()
    },
  }
  return result
}

const options = { pageSize: 2, resyncMs: 3_600_000, backoffMs: 5, maxBackoffMs: 10, watchTimeoutSeconds: 60 }

function recorder() {
  const seen: string[] = []
  const troubles: string[] = []
  return {
    seen,
    troubles,
    handlers: {
      changed: (object: KubeObject) => seen.push(`changed ${object.metadata?.name}@${object.metadata?.resourceVersion} ${object.kind}`),
      deleted: (object: KubeObject) => seen.push(`deleted ${object.metadata?.name}`),
      trouble: (message: string) => troubles.push(message),
    },
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 500 && !condition(); round++) await new Promise((resolve) => setTimeout(resolve, 10))
}

t.test('an informer lists page by page, watches from the list’s version, and applies added, modified, deleted and bookmark events', async (t) => {
  const watcher = scriptedWatcher([
    (onEvent) => {
      onEvent('ADDED', pod('c', '11'))
      onEvent('MODIFIED', pod('a', '12'))
      onEvent('BOOKMARK', { metadata: { resourceVersion: '13' } })
      onEvent('DELETED', pod('b', '14'))
    },
  ])
  const list = source([
    () => ({ items: [pod('a', '1'), pod('b', '2')], metadata: { resourceVersion: '10', _continue: 'next' } }),
    () => ({ items: [], metadata: { resourceVersion: '99' } }),
  ])
  const { seen, handlers } = recorder()
  const informer = new Informer(list, watcher, handlers, options)
  await informer.start()
  t.teardown(() => informer.stop())
  await until(() => seen.length === 5)
  t.same(seen, ['changed a@1 Pod', 'changed b@2 Pod', 'changed c@11 Pod', 'changed a@12 Pod', 'deleted b'])
  t.match(watcher.queries[0], { resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 60 }, 'from the first page’s version')
  t.same([...informer.cache.keys()], ['shop/a', 'shop/c'])
  t.equal(informer.synced, true)
})

t.test('failures are retried with backoff: a failed list, a watch refused, an ERROR event, a watch that times out', async (t) => {
  const watcher = scriptedWatcher([
    (_, done) => done(Object.assign(new Error('Internal Server Error'), { statusCode: 500 })),
    (onEvent) => onEvent('ERROR', { kind: 'Status', code: 500, message: 'etcd is sad' }),
    (onEvent) => onEvent('ERROR', { kind: 'Status' }),
    (_, done) => done(Object.assign(new Error('silent'), { name: 'TimeoutError' })),
    (onEvent, done) => {
      onEvent('ADDED', pod('late', '30'))
      done(null)
    },
  ])
  const list = source([
    () => {
      throw new Error('connection refused')
    },
    () => ({ items: [pod('a', '1')], metadata: { resourceVersion: '20' } }),
  ])
  const { seen, troubles, handlers } = recorder()
  const informer = new Informer(list, watcher, handlers, options)
  await informer.start()
  t.teardown(() => informer.stop())
  await until(() => seen.includes('changed late@30 Pod'))
  t.same(troubles, [
    'pods: connection refused; retrying in 5 ms',
    'pods: Internal Server Error; retrying in 5 ms',
    'pods: watch error: etcd is sad; retrying in 10 ms',
    'pods: watch error: no message; retrying in 10 ms',
  ])
  t.equal(list.lists, 2, 'only the failed list is repeated; watch failures resume from the version')
  t.same(
    watcher.queries.map((query) => query.resourceVersion),
    ['20', '20', '20', '20', '20', '30'],
  )
})

t.test('a 410 Gone, as a refused request or an ERROR event, relists and reports what vanished; a watch request that throws is retried', async (t) => {
  let throwing = true
  const scripts: Script[] = [
    (_, done) => done(Object.assign(new Error('Gone'), { statusCode: 410 })),
    (onEvent) => onEvent('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }),
  ]
  const inner = scriptedWatcher(scripts)
  const watcher: Watcher = {
    watch(path, query, onEvent, done) {
      if (throwing) {
        throwing = false
        return Promise.reject(new Error('no current cluster'))
      }
      return inner.watch(path, query, onEvent, done)
    },
  }
  const list = source([
    () => ({ items: [pod('a', '1'), pod('b', '2')], metadata: { resourceVersion: '10' } }),
    () => ({ items: [pod('a', '1')], metadata: { resourceVersion: '20' } }),
    () => ({ items: [], metadata: { resourceVersion: '30' } }),
  ])
  const { seen, troubles, handlers } = recorder()
  const informer = new Informer(list, watcher, handlers, options)
  await informer.start()
  t.teardown(() => informer.stop())
  await until(() => list.lists === 3 && seen.includes('deleted a'))
  t.same(seen, ['changed a@1 Pod', 'changed b@2 Pod', 'deleted b', 'changed a@1 Pod', 'deleted a'])
  t.same(troubles, ['pods: no current cluster; retrying in 5 ms'])
})

t.test('a resync hands every cached object to the handlers again; stop ends a backoff wait at once', async (t) => {
  const list = source([() => ({ items: [pod('a', '1')], metadata: { resourceVersion: '10' } })])
  const { seen, handlers } = recorder()
  const informer = new Informer(list, scriptedWatcher([]), handlers, { ...options, resyncMs: 20 })
  await informer.start()
  await until(() => seen.length >= 3)
  t.same(seen.slice(0, 3), ['changed a@1 Pod', 'changed a@1 Pod', 'changed a@1 Pod'])
  await informer.stop()

  const failing = source([])
  const slow = new Informer(failing, scriptedWatcher([]), recorder().handlers, { ...options, backoffMs: 60_000 })
  const started = slow.start()
  await until(() => failing.lists === 1)
  const before = Date.now()
  await slow.stop()
  t.ok(Date.now() - before < 30_000, 'not waiting out the backoff')
  t.equal(slow.synced, false)
  void started
})

t.test('the work queue runs each key once per burst, and retries a failing key with a growing delay', async (t) => {
  const runs: string[] = []
  const failures: string[] = []
  let failuresLeft = 2
  const queue = new WorkQueue(
    async (key) => {
      runs.push(key)
      if (key === 'flaky' && failuresLeft-- > 0) throw new Error('conflict')
    },
    { retryBaseMs: 5, retryMaxMs: 8, done: () => {}, failed: (key, _error, retryInMs) => failures.push(`${key} in ${retryInMs}`) },
  )
  for (const key of ['a', 'b', 'a', 'a', 'flaky']) queue.add(key)
  t.equal(queue.length, 3, 'a key waits once')
  await queue.idle()
  await until(() => runs.filter((key) => key === 'flaky').length === 3)
  await queue.idle()
  t.same(runs, ['a', 'b', 'flaky', 'flaky', 'flaky'])
  t.same(failures, ['flaky in 5', 'flaky in 8'])
  queue.add('x')
  await queue.stop()
  queue.add('after-stop')
  await queue.idle()
  t.notOk(runs.includes('after-stop'))
})

t.test('a stop that lands while the watch request is still unanswered aborts that watch when it answers, so shutdown does not wait for it', async (t) => {
  let answer: () => void = () => {}
  const answered = new Promise<void>((resolve) => (answer = resolve))
  const controller = new AbortController()
  const requests: string[] = []
  const gated: Watcher = {
    async watch(path, _query, _onEvent, done) {
      requests.push(path)
      controller.signal.addEventListener('abort', () => done(null))
      // The API server has not sent the response headers yet.
      await answered
      return controller
    },
  }
  const informer = new Informer(source([() => ({ items: [], metadata: { resourceVersion: '1' } })]), gated, recorder().handlers, options)
  await informer.start()
  await until(() => requests.length === 1)
  const stopping = informer.stop()
  t.equal(controller.signal.aborted, false, 'nothing to abort yet')
  answer()
  await stopping
  t.equal(controller.signal.aborted, true, 'the watch that answered after the stop is closed at once')
  t.same(requests, ['/api/v1/pods'], 'and no new watch is opened')
})
