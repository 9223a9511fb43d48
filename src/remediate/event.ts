// Every remediation, done or only described in a dry run, is an Event on the object it concerns,
// so `kubectl describe` and `kubectl get events` show it where the operator looks.
import { randomBytes } from 'node:crypto'
import type { ClusterClient } from '../kube/cluster.ts'
import type { RemediationTarget } from './record.ts'

export const EVENT_SOURCE = 'jackstop-watch'

/** Done, described in a dry run, or tried and refused by the API (retried; one Event per distinct failure). */
export type EventReason = 'Remediated' | 'WouldRemediate' | 'RemediationFailed'

export async function recordEvent(
  client: ClusterClient,
  target: RemediationTarget & { apiVersion?: string | undefined; uid?: string | undefined },
  reason: EventReason,
  message: string,
  now: Date,
): Promise<void> {
  await client.core.createNamespacedEvent({
    namespace: target.namespace,
    body: {
      metadata: { name: `${target.name}.${randomBytes(6).toString('hex')}`, namespace: target.namespace },
      involvedObject: { apiVersion: target.apiVersion, kind: target.kind, name: target.name, namespace: target.namespace, uid: target.uid },
      reason,
      // An Event message is capped at 1 KiB by the API server.
      message: message.slice(0, 1024),
      type: 'Warning',
      source: { component: EVENT_SOURCE },
      reportingComponent: EVENT_SOURCE,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    },
  })
}
