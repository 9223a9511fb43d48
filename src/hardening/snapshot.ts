// The objects the hardening checks look at together: RBAC, namespaces and their limits,
// Services and Ingresses, and the admission webhooks. Read once per cluster, page by page.
import type { ClusterClient } from '../kube/cluster.ts'
import { allPages, describeApiError, type Page, type PageParams } from '../kube/list.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'

export interface Snapshot {
  clusterRoles: KubeObject[]
  clusterRoleBindings: KubeObject[]
  roles: KubeObject[]
  roleBindings: KubeObject[]
  namespaces: KubeObject[]
  limitRanges: KubeObject[]
  resourceQuotas: KubeObject[]
  services: KubeObject[]
  ingresses: KubeObject[]
  validatingWebhooks: KubeObject[]
  mutatingWebhooks: KubeObject[]
  /** Pods and controllers, from the scan's own listing. */
  workloads: KubeObject[]
}

type Listed = Exclude<keyof Snapshot, 'workloads'>

const SOURCES: [Listed, string, (client: ClusterClient, params: PageParams) => Promise<Page>][] = [
  ['clusterRoles', 'ClusterRole', (c, p) => c.rbac.listClusterRole(p)],
  ['clusterRoleBindings', 'ClusterRoleBinding', (c, p) => c.rbac.listClusterRoleBinding(p)],
  ['roles', 'Role', (c, p) => c.rbac.listRoleForAllNamespaces(p)],
  ['roleBindings', 'RoleBinding', (c, p) => c.rbac.listRoleBindingForAllNamespaces(p)],
  ['namespaces', 'Namespace', (c, p) => c.core.listNamespace(p)],
  ['limitRanges', 'LimitRange', (c, p) => c.core.listLimitRangeForAllNamespaces(p)],
  ['resourceQuotas', 'ResourceQuota', (c, p) => c.core.listResourceQuotaForAllNamespaces(p)],
  ['services', 'Service', (c, p) => c.core.listServiceForAllNamespaces(p)],
  ['ingresses', 'Ingress', (c, p) => c.networking.listIngressForAllNamespaces(p)],
  ['validatingWebhooks', 'ValidatingWebhookConfiguration', (c, p) => c.admission.listValidatingWebhookConfiguration(p)],
  ['mutatingWebhooks', 'MutatingWebhookConfiguration', (c, p) => c.admission.listMutatingWebhookConfiguration(p)],
]

export async function takeSnapshot(
  client: ClusterClient,
  workloads: KubeObject[],
  pageSize: number,
): Promise<{ snapshot: Snapshot; problems: { what: string; message: string }[] }> {
  const snapshot = { workloads } as Snapshot
  const problems: { what: string; message: string }[] = []
  for (const [field, kind, list] of SOURCES) {
    try {
      const items = await allPages(
        (params) => list(client, params),
        pageSize,
        () => {},
      )
      snapshot[field] = items.map((item) => ({ ...(item as KubeObject), kind }))
    } catch (error) {
      snapshot[field] = []
      problems.push({ what: `${kind} objects (hardening checks)`, message: describeApiError(error) })
    }
  }
  return { snapshot, problems }
}
