// A small stand-in for the Kubernetes API server on loopback, over TLS with the test CA: list
// endpoints for the kinds jackstop scans, with real pagination (limit and continue) and
// injectable errors. No live
// cluster can run here; this serves the same paths and shapes client-node asks for.
import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { testPki } from './server.ts'

export interface FakeCluster {
  /** Objects by plural resource name: `pods`, `deployments`, `configmaps` … */
  objects: Record<string, KubeObject[]>
  /** `configmaps` (cluster-wide list) or `configmaps@kube-system` (one namespace) -> HTTP status. */
  failures?: Record<string, number>
  /** Bearer token the server requires. */
  token?: string
}

export interface RunningFakeCluster {
  url: string
  requests: string[]
  close(): Promise<void>
  kubeconfig(context?: string): string
}

const KIND_OF: Record<string, string> = {
  pods: 'PodList',
  deployments: 'DeploymentList',
  replicasets: 'ReplicaSetList',
  statefulsets: 'StatefulSetList',
  daemonsets: 'DaemonSetList',
  jobs: 'JobList',
  cronjobs: 'CronJobList',
  replicationcontrollers: 'ReplicationControllerList',
  configmaps: 'ConfigMapList',
  namespaces: 'NamespaceList',
}

function status(response: ServerResponse, code: number, message: string): void {
  response.writeHead(code, { 'content-type': 'application/json' })
  response.end(
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: code === 403 ? 'Forbidden' : 'Unauthorized', code }),
  )
}

export async function startFakeCluster(cluster: FakeCluster): Promise<RunningFakeCluster> {
  const requests: string[] = []
  const { ca, serving } = testPki()
  const server = createServer({ key: serving.keyPem, cert: serving.certPem }, (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    requests.push(`${url.pathname}${url.search}`)
    if (cluster.token !== undefined && request.headers.authorization !== `Bearer ${cluster.token}`) return status(response, 401, 'Unauthorized')
    const match = /^\/(?:api\/v1|apis\/[^/]+\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(url.pathname) ?? /^\/api\/v1\/(namespaces)$/.exec(url.pathname)
    if (match === null) return status(response, 404, `no route for ${url.pathname}`)
    const [, namespace, plural] = match.length === 3 ? match : [match[0], undefined, match[1]]
    const failure = cluster.failures?.[namespace === undefined ? (plural as string) : `${plural}@${namespace}`]
    if (failure !== undefined)
      return status(
        response,
        failure,
        `${plural} is forbidden: User "scanner" cannot list resource "${plural}"${namespace === undefined ? ' at the cluster scope' : ` in the namespace "${namespace}"`}`,
      )
    let items: KubeObject[]
    if (plural === 'namespaces') {
      const names = new Set(Object.values(cluster.objects).flatMap((list) => list.map((object) => object.metadata?.namespace ?? 'default')))
      items = [...names].sort().map((name) => ({ metadata: { name } }))
    } else {
      items = (cluster.objects[plural as string] ?? []).filter((object) => namespace === undefined || object.metadata?.namespace === namespace)
    }
    const limit = Number(url.searchParams.get('limit') ?? items.length) || items.length
    const offset = Number(Buffer.from(url.searchParams.get('continue') ?? '', 'base64').toString() || 0)
    const page = items.slice(offset, offset + limit)
    const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64') : undefined
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(
      JSON.stringify({
        kind: KIND_OF[plural as string],
        apiVersion: 'v1',
        metadata: { resourceVersion: '1', ...(next === undefined ? {} : { continue: next }) },
        items: page,
      }),
    )
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    kubeconfig: (context = 'test') =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: context, cluster: { server: url, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
        users: [{ name: 'scanner', user: { token: cluster.token ?? 'token' } }],
        contexts: [{ name: context, context: { cluster: context, user: 'scanner' } }],
        'current-context': context,
      }),
  }
}
