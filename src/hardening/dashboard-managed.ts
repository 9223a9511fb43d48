// Workloads a dashboard wrote. The API server names a request's field manager after its
// client's User-Agent product when the client sets none, so a Deployment created from a web UI
// carries that UI's name in metadata.managedFields. The Tesla cryptojacking (RedLock, 2018)
// started its miners from the Kubernetes Dashboard: this is what such a workload looks like.
import type { ReportedObject } from '../report/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { type Door, reported } from './finding.ts'
import type { Snapshot } from './snapshot.ts'

/** Field managers of dashboards and web UIs, and what each one is. */
const DASHBOARD_MANAGERS: ReadonlyMap<string, string> = new Map([
  ['dashboard', 'the Kubernetes Dashboard (its binary, and so its User-Agent, is named dashboard)'],
  ['dashboard-api', 'the Kubernetes Dashboard 7 API module'],
  ['headlamp', 'Headlamp'],
  ['centraldashboard', 'the Kubeflow central dashboard'],
  ['argocd-server', 'the Argo CD UI or API (a live edit, not a Git sync)'],
  ['kubeapps', 'Kubeapps'],
  ['octant', 'Octant'],
  ['Mozilla', "a web browser: a web UI passed the user's browser User-Agent through"],
])

interface ManagedFieldsEntry {
  manager?: string
  time?: string
}

export function dashboardManagedDoors(snapshot: Snapshot): ReportedObject[] {
  const found: ReportedObject[] = []
  for (const workload of snapshot.workloads) {
    const entries = (workload.metadata?.managedFields ?? []) as ManagedFieldsEntry[]
    const doors: Door[] = []
    entries.forEach((entry, index) => {
      const product = entry.manager === undefined ? undefined : DASHBOARD_MANAGERS.get(entry.manager)
      if (product === undefined) return
      doors.push({
        check: 'dashboard-managed-workload',
        action: 'warn',
        severity: 'high',
        path: `metadata.managedFields[${index}].manager`,
        what: `${workload.kind} ${workload.metadata?.namespace ?? ''}/${workload.metadata?.name ?? ''} was written by ${product}${entry.time === undefined ? '' : ` at ${entry.time}`}`,
        attack: 'miners started through an open dashboard look like this: its own account, or anyone past its login, created the workload',
        fix: "check the API server's audit log for who used the dashboard then; ship workloads from your pipeline, and let dashboards act only with their users' own tokens",
      })
    })
    if (doors.length > 0) found.push(reported(workload as KubeObject, doors))
  }
  return found
}
