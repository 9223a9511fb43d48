// quarantine: cut a pod's egress without stopping it, so it can be examined but mines nothing
// (a miner without its pool earns nothing). One NetworkPolicy per namespace selects every pod
// labelled jackstop.io/quarantined and allows no egress at all; the pod gets the label.
import type { ClusterClient } from '../kube/cluster.ts'
import { isNotFound, readObject, removeMapEntry, setMapEntry } from './api.ts'
import { QUARANTINE_LABEL, REMEDIATION_ANNOTATION, type RemediationRecord, type RemediationTarget, recordOf, targetLabel, undoCommand } from './record.ts'

export const QUARANTINE_POLICY_NAME = 'jackstop-quarantine'

export function describeQuarantine(target: RemediationTarget): string {
  return `label ${targetLabel(target)} ${QUARANTINE_LABEL}=true, which the NetworkPolicy ${QUARANTINE_POLICY_NAME} denies all egress`
}

export function quarantineNetworkPolicy(namespace: string) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: QUARANTINE_POLICY_NAME, namespace, labels: { 'app.kubernetes.io/managed-by': 'jackstop' } },
    // Egress listed with no rules: nothing may leave, DNS included (pools are found by name).
    spec: { podSelector: { matchLabels: { [QUARANTINE_LABEL]: 'true' } }, policyTypes: ['Egress'], egress: [] },
  }
}

export async function quarantine(client: ClusterClient, target: RemediationTarget, policy: string, now: Date): Promise<RemediationRecord | undefined> {
  const at = { name: target.name, namespace: target.namespace }
  let pod: Awaited<ReturnType<typeof readObject>>
  try {
    pod = await readObject(client, 'Pod', at)
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
  if (pod.metadata?.labels?.[QUARANTINE_LABEL] === 'true' && recordOf(pod) !== undefined) return undefined
  try {
    await client.networking.createNamespacedNetworkPolicy({ namespace: target.namespace, body: quarantineNetworkPolicy(target.namespace) })
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error
  }
  const written: RemediationRecord = {
    action: 'quarantine',
    policy,
    at: now.toISOString(),
    did: describeQuarantine(target),
    undo: undoCommand(target),
    restore: {},
  }
  const labelled = setMapEntry(pod, 'labels', QUARANTINE_LABEL, 'true')
  // Both maps may be missing: the second `add` must then see the first one's result.
  const withLabel = { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata?.labels, [QUARANTINE_LABEL]: 'true' } } }
  await client.core.patchNamespacedPod({ ...at, body: [labelled, setMapEntry(withLabel, 'annotations', REMEDIATION_ANNOTATION, JSON.stringify(written))] })
  return written
}

export async function undoQuarantine(client: ClusterClient, target: RemediationTarget): Promise<string> {
  await client.core.patchNamespacedPod({
    name: target.name,
    namespace: target.namespace,
    body: [removeMapEntry('labels', QUARANTINE_LABEL), removeMapEntry('annotations', REMEDIATION_ANNOTATION)],
  })
  return `removed the quarantine label from ${targetLabel(target)}; its egress is open again`
}
