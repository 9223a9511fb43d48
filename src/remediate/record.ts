// What a remediation leaves on the object it changed: an annotation saying what was done, by
// which policy, and how to undo it. `jackstop undo` reads it back; nothing else trusts it.
import type { Remediation } from '../engine/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'

export const REMEDIATION_ANNOTATION = 'jackstop.io/remediation'
export const QUARANTINE_LABEL = 'jackstop.io/quarantined'
/** A node label no node carries: a DaemonSet whose pods require it runs nowhere. */
export const UNSCHEDULABLE_NODE_LABEL = 'jackstop.io/remediated'

export interface RemediationTarget {
  kind: string
  namespace: string
  name: string
}

export interface RemediationRecord {
  action: Exclude<Remediation, 'none'>
  policy: string
  /** ISO time it was done. */
  at: string
  /** What was done, in a sentence. */
  did: string
  /** The command that reverses it. */
  undo: string
  /** What the undo restores (previous replicas, node selector, suspend flag). */
  restore: Record<string, unknown>
}

export function undoCommand(target: RemediationTarget): string {
  return `jackstop undo ${target.kind.toLowerCase()}/${target.name} -n ${target.namespace}`
}

export function recordOf(object: KubeObject): RemediationRecord | undefined {
  const text = object.metadata?.annotations?.[REMEDIATION_ANNOTATION]
  if (text === undefined) return undefined
  try {
    const record = JSON.parse(text) as RemediationRecord
    return typeof record === 'object' && record !== null && typeof record.action === 'string' ? record : undefined
  } catch {
    return undefined
  }
}

export function targetLabel(target: RemediationTarget): string {
  return `${target.kind} ${target.namespace}/${target.name}`
}
