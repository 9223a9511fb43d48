// Hardening findings have the shape of policy findings, so every output of `scan` carries
// them; each says what an attacker does with the door and how to close it.
import type { Action, Severity } from '../engine/types.ts'
import type { ReportedObject } from '../report/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'

export interface Door {
  check: string
  action: Action
  severity: Severity
  path: string
  what: string
  attack: string
  fix: string
}

export function reported(object: KubeObject, doors: Door[]): ReportedObject {
  return {
    apiVersion: object.apiVersion,
    uid: object.metadata?.uid,
    kind: object.kind as string,
    namespace: object.metadata?.namespace,
    name: object.metadata?.name ?? '',
    source: 'cluster hardening',
    findings: doors.map((door) => ({
      policy: door.check,
      action: door.action,
      severity: door.severity,
      path: door.path,
      message: `${door.what}. Attack: ${door.attack}. Fix: ${door.fix} (${door.check})`,
    })),
  }
}
