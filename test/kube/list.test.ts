import { mkdirSync, writeFileSync } from 'node:fs'
import t from 'tap'
import { connect, loadKubeConfig } from '../../src/kube/cluster.ts'
import { describeApiError } from '../../src/kube/list.ts'

t.test('API errors are described for a person', async (t) => {
  t.equal(
    describeApiError({ code: 403, body: JSON.stringify({ message: 'pods is forbidden' }), message: 'HTTP-Code: 403\nMessage: Forbidden' }),
    '403 Forbidden: pods is forbidden',
  )
  t.equal(describeApiError({ code: 500, body: 'upstream exploded', message: 'HTTP-Code: 500' }), '500: upstream exploded')
  t.equal(describeApiError({ code: 500, body: '{}', message: 'HTTP-Code: 500\nMessage: Internal' }), '500: HTTP-Code: 500')
  t.equal(describeApiError({ code: 503, body: '', message: 'HTTP-Code: 503\nMessage: Service Unavailable' }), '503: HTTP-Code: 503')
  t.equal(describeApiError({ code: 404, message: 'HTTP-Code: 404\nMessage: Not Found' }), '404: HTTP-Code: 404')
  t.equal(describeApiError({ code: 401, message: 'x' }), '401 Unauthorized: the credentials were refused')
  t.equal(describeApiError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } })), 'cannot reach the API server: ENOTFOUND')
  t.equal(
    describeApiError(Object.assign(new TypeError('fetch failed'), { cause: { message: 'socket hang up' } })),
    'cannot reach the API server: socket hang up',
  )
  t.equal(describeApiError(new Error('The request timed out')), 'The request timed out')
})

t.test('kubeconfig: a file, the default locations, or the in-cluster service account', async (t) => {
  const dir = t.testdir({
    config: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'a', cluster: { server: 'https://a.example:6443' } },
        { name: 'b', cluster: { server: 'https://b.example:6443' } },
      ],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [
        { name: 'a', context: { cluster: 'a', user: 'u' } },
        { name: 'b', context: { cluster: 'b', user: 'u' } },
      ],
      'current-context': 'a',
    }),
  })
  t.equal(loadKubeConfig({ kubeconfig: `${dir}/config` }).getCurrentCluster()?.server, 'https://a.example:6443')
  t.equal(loadKubeConfig({ kubeconfig: `${dir}/config`, context: 'b' }).getCurrentCluster()?.server, 'https://b.example:6443')
  const empty = `${dir}/empty`
  mkdirSync(empty)
  writeFileSync(`${empty}/config`, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] }))
  t.throws(() => loadKubeConfig({ kubeconfig: `${empty}/config`, context: 'prod' }), { message: 'context "prod" is not in the kubeconfig (it has: none)' })
  t.throws(() => connect(loadKubeConfig({ kubeconfig: `${empty}/config` })), { message: /^the kubeconfig has no cluster for the context/ })
  const saved = { ...process.env }
  t.teardown(() => {
    process.env = saved
  })
  process.env.KUBECONFIG = `${dir}/config`
  t.equal(loadKubeConfig({}).getCurrentContext(), 'a')
  process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1'
  process.env.KUBERNETES_SERVICE_PORT = '443'
  t.equal(loadKubeConfig({ inCluster: true }).getCurrentCluster()?.server, 'https://10.96.0.1:443')
})
