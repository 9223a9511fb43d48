// evict: ask for the pod to go through the Eviction API, which honours PodDisruptionBudgets
// (a 429 means "not now"; the controller retries). Its controller, if any, starts a new pod,
// rescheduled and re-admitted; a bare pod is gone. Nothing stays on the pod to undo.
import type { ClusterClient } from '../kube/cluster.ts'
import { isNotFound } from './api.ts'
import { type RemediationRecord, type RemediationTarget, targetLabel, undoCommand } from './record.ts'

export function describeEvict(target: RemediationTarget): string {
  return `evict ${targetLabel(target)} through the Eviction API (its controller, if any, starts a new one)`
}

export async function evict(client: ClusterClient, target: RemediationTarget, policy: string, now: Date): Promise<RemediationRecord | undefined> {
  try {
    await client.core.createNamespacedPodEviction({
      name: target.name,
      namespace: target.namespace,
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: target.name, namespace: target.namespace } },
    })
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
  return { action: 'evict', policy, at: now.toISOString(), did: describeEvict(target), undo: undoCommand(target), restore: {} }
}
