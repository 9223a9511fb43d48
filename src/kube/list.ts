// Lists every object jackstop reviews, page by page (limit and continue), so a cluster of
// 100,000 pods never arrives in one response. A failure on one kind or namespace is reported
// and the rest goes on.
import type { KubeObject } from '../workloads/kubernetes.ts'
import type { ClusterClient } from './cluster.ts'

export interface Page {
  items: unknown[]
  metadata?: { _continue?: string }
}
export type PageParams = { limit: number; _continue?: string }

interface ListedKind {
  kind: string
  apiVersion: string
  plural: string
  all(client: ClusterClient, params: PageParams): Promise<Page>
  namespaced(client: ClusterClient, namespace: string, params: PageParams): Promise<Page>
}

export const LISTED_KINDS: readonly ListedKind[] = [
  {
    kind: 'Pod',
    apiVersion: 'v1',
    plural: 'pods',
    all: (c, p) => c.core.listPodForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.core.listNamespacedPod({ namespace, ...p }),
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    plural: 'deployments',
    all: (c, p) => c.apps.listDeploymentForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.apps.listNamespacedDeployment({ namespace, ...p }),
  },
  {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    plural: 'replicasets',
    all: (c, p) => c.apps.listReplicaSetForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.apps.listNamespacedReplicaSet({ namespace, ...p }),
  },
  {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    plural: 'statefulsets',
    all: (c, p) => c.apps.listStatefulSetForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.apps.listNamespacedStatefulSet({ namespace, ...p }),
  },
  {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    plural: 'daemonsets',
    all: (c, p) => c.apps.listDaemonSetForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.apps.listNamespacedDaemonSet({ namespace, ...p }),
  },
  {
    kind: 'Job',
    apiVersion: 'batch/v1',
    plural: 'jobs',
    all: (c, p) => c.batch.listJobForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.batch.listNamespacedJob({ namespace, ...p }),
  },
  {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    plural: 'cronjobs',
    all: (c, p) => c.batch.listCronJobForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.batch.listNamespacedCronJob({ namespace, ...p }),
  },
  {
    kind: 'ReplicationController',
    apiVersion: 'v1',
    plural: 'replicationcontrollers',
    all: (c, p) => c.core.listReplicationControllerForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.core.listNamespacedReplicationController({ namespace, ...p }),
  },
  {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    plural: 'configmaps',
    all: (c, p) => c.core.listConfigMapForAllNamespaces(p),
    namespaced: (c, namespace, p) => c.core.listNamespacedConfigMap({ namespace, ...p }),
  },
]

export interface ListProblem {
  what: string
  message: string
}

export interface ListOptions {
  namespace?: string | undefined
  pageSize: number
  onPage?: (kind: string, count: number) => void
}

/** What an API error says, for a person: the status and the API server's own message. */
export function describeApiError(error: unknown): string {
  const {
    code,
    body,
    message = String(error),
    cause,
  } = error as { code?: number; body?: unknown; message?: string; cause?: { code?: string; message?: string } }
  if (code === undefined) {
    // A network failure: fetch says "fetch failed", the cause says why (ECONNREFUSED, ENOTFOUND …).
    const why = cause?.code ?? cause?.message
    return why === undefined ? message : `cannot reach the API server: ${why}`
  }
  if (code === 401) return '401 Unauthorized: the credentials were refused'
  let reason = message.split('\n')[0] as string
  if (typeof body === 'string') {
    try {
      reason = (JSON.parse(body) as { message?: string }).message ?? reason
    } catch {
      reason = body || reason
    }
  }
  return code === 403 ? `403 Forbidden: ${reason}` : `${code}: ${reason}`
}

export async function allPages(fetch: (params: PageParams) => Promise<Page>, pageSize: number, onPage: (count: number) => void): Promise<unknown[]> {
  const items: unknown[] = []
  let token: string | undefined
  do {
    const page = await fetch(token === undefined ? { limit: pageSize } : { limit: pageSize, _continue: token })
    items.push(...page.items)
    onPage(items.length)
    token = page.metadata?._continue || undefined
  } while (token !== undefined)
  return items
}

function asObjects(items: unknown[], listed: ListedKind): KubeObject[] {
  return items.map((item) => ({ ...(item as KubeObject), apiVersion: listed.apiVersion, kind: listed.kind }))
}

async function namespaces(client: ClusterClient, pageSize: number): Promise<string[]> {
  const items = await allPages(
    (params) => client.core.listNamespace(params),
    pageSize,
    () => {},
  )
  return items.map((item) => (item as KubeObject).metadata?.name).filter((name): name is string => typeof name === 'string')
}

export async function listEverything(client: ClusterClient, options: ListOptions): Promise<{ objects: KubeObject[]; problems: ListProblem[] }> {
  const { pageSize } = options
  const objects: KubeObject[] = []
  const problems: ListProblem[] = []
  let namespaceNames: string[] | undefined
  let reached = false
  for (const listed of LISTED_KINDS) {
    const onPage = (count: number) => options.onPage?.(listed.plural, count)
    const where = options.namespace === undefined ? 'all namespaces' : `namespace ${options.namespace}`
    try {
      const fetch =
        options.namespace === undefined
          ? (params: PageParams) => listed.all(client, params)
          : (params: PageParams) => listed.namespaced(client, options.namespace as string, params)
      objects.push(...asObjects(await allPages(fetch, pageSize, onPage), listed))
      reached = true
      continue
    } catch (error) {
      const status = (error as { code?: number }).code
      // Unreachable, or credentials refused, on the first call: every other call would say the same.
      if (!reached && (status === undefined || status === 401)) {
        problems.push({ what: `${listed.plural} in ${where}`, message: describeApiError(error) })
        return { objects, problems }
      }
      reached = true
      // A user who may not list across the cluster may still list some namespaces: go one by one.
      if (status !== 403 || options.namespace !== undefined) {
        problems.push({ what: `${listed.plural} in ${where}`, message: describeApiError(error) })
        continue
      }
    }
    try {
      namespaceNames ??= await namespaces(client, pageSize)
    } catch (error) {
      problems.push({ what: `${listed.plural} in all namespaces`, message: `${describeApiError(error)}; namespaces cannot be listed either` })
      continue
    }
    for (const namespace of namespaceNames) {
      try {
        objects.push(...asObjects(await allPages((params) => listed.namespaced(client, namespace, params), pageSize, onPage), listed))
      } catch (error) {
        problems.push({ what: `${listed.plural} in namespace ${namespace}`, message: describeApiError(error) })
      }
    }
  }
  return { objects, problems }
}
