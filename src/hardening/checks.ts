// Every hardening check over one snapshot, in the order the report shows them.
import type { ReportedObject } from '../report/types.ts'
import { computeDoors } from './compute.ts'
import { dashboardManagedDoors } from './dashboard-managed.ts'
import { dashboardDoors } from './dashboards.ts'
import { rbacDoors } from './rbac.ts'
import type { Snapshot } from './snapshot.ts'
import { webhookDoors } from './webhooks.ts'

export function hardeningFindings(snapshot: Snapshot, now: Date): ReportedObject[] {
  return [...rbacDoors(snapshot), ...dashboardDoors(snapshot), ...dashboardManagedDoors(snapshot), ...computeDoors(snapshot), ...webhookDoors(snapshot, now)]
}
