// scale-to-zero: stop a workload without deleting it, so nothing is lost and undo is exact.
// Deployments, StatefulSets, ReplicaSets and ReplicationControllers go to zero replicas through
// the scale subresource (what `kubectl scale` and autoscalers use); a DaemonSet has no replicas,
// so its pods get a node selector no node matches; a CronJob or Job is suspended; a bare Pod,
// which nothing would recreate, is deleted.
import type { JsonPatchOperation } from '../engine/types.ts'
import { UndoError } from '../errors.ts'
import type { ClusterClient } from '../kube/cluster.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { isNotFound, KIND_APIS, readObject, removeMapEntry, setMapEntry } from './api.ts'
import {
  REMEDIATION_ANNOTATION,
  type RemediationRecord,
  type RemediationTarget,
  recordOf,
  targetLabel,
  UNSCHEDULABLE_NODE_LABEL,
  undoCommand,
} from './record.ts'

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'])
const SUSPENDABLE = new Set(['CronJob', 'Job'])
const NODE_SELECTOR = '/spec/template/spec/nodeSelector'
/** `add`, not `replace`: a Scale at zero has no spec.replicas, and `replace` needs the member to exist (RFC 6902 §4.3). */
const setReplicas = (value: number): JsonPatchOperation => ({ op: 'add', path: '/spec/replicas', value })

export function describeScaleToZero(target: RemediationTarget): string {
  const label = targetLabel(target)
  if (SCALABLE.has(target.kind)) return `scale ${label} to zero replicas through its scale subresource`
  if (target.kind === 'DaemonSet') return `give ${label} the node selector ${UNSCHEDULABLE_NODE_LABEL}=none, which no node matches, so its pods stop`
  if (SUSPENDABLE.has(target.kind)) return `suspend ${label} (spec.suspend: true)`
  return `delete the bare ${label}, which no controller recreates`
}

function record(target: RemediationTarget, policy: string, now: Date, restore: Record<string, unknown>): RemediationRecord {
  return { action: 'scale-to-zero', policy, at: now.toISOString(), did: describeScaleToZero(target), undo: undoCommand(target), restore }
}

const annotate = (object: KubeObject, value: RemediationRecord) => setMapEntry(object, 'annotations', REMEDIATION_ANNOTATION, JSON.stringify(value))

function templateSpec(object: KubeObject): { nodeSelector?: Record<string, string> } {
  /* c8 ignore next: the API server refuses a DaemonSet without spec.template (a required field); the ?? only keeps a malformed object from throwing */
  return ((object.spec as { template?: { spec?: object } } | undefined)?.template?.spec ?? {}) as { nodeSelector?: Record<string, string> }
}

/** Makes it so; returns the record, or undefined when it already was (nothing written). */
export async function scaleToZero(client: ClusterClient, target: RemediationTarget, policy: string, now: Date): Promise<RemediationRecord | undefined> {
  const at = { name: target.name, namespace: target.namespace }
  const api = KIND_APIS[target.kind]
  if (target.kind === 'Pod' || api === undefined) {
    try {
      await client.core.deleteNamespacedPod(at)
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
    return record(target, policy, now, {})
  }
  const object = await readObject(client, target.kind, at)
  const earlier = recordOf(object)?.action === 'scale-to-zero' ? recordOf(object) : undefined
  if (SCALABLE.has(target.kind) && api.readScale !== undefined && api.patchScale !== undefined) {
    // autoscaling/v1 ScaleSpec.replicas is an int32 with omitempty: absent means zero.
    const replicas = (await api.readScale(client, at)).spec?.replicas ?? 0
    if (earlier !== undefined && replicas === 0) return undefined
    // Annotate first: if scaling then fails, the retry still knows the replicas to restore.
    const written = earlier ?? record(target, policy, now, { replicas })
    if (earlier === undefined) await api.patch(client, at, [annotate(object, written)])
    await api.patchScale(client, at, [setReplicas(0)])
    return written
  }
  if (target.kind === 'DaemonSet') {
    const selector = templateSpec(object).nodeSelector
    if (earlier !== undefined && selector?.[UNSCHEDULABLE_NODE_LABEL] !== undefined) return undefined
    const written = earlier ?? record(target, policy, now, { nodeSelector: selector ?? null })
    const key = UNSCHEDULABLE_NODE_LABEL.replace(/\//g, '~1')
    const edit: JsonPatchOperation =
      selector === undefined
        ? { op: 'add', path: NODE_SELECTOR, value: { [UNSCHEDULABLE_NODE_LABEL]: 'none' } }
        : { op: 'add', path: `${NODE_SELECTOR}/${key}`, value: 'none' }
    await api.patch(client, at, [edit, annotate(object, written)])
    return written
  }
  const suspended = (object.spec as { suspend?: boolean } | undefined)?.suspend === true
  if (earlier !== undefined && suspended) return undefined
  const written = earlier ?? record(target, policy, now, { suspend: suspended })
  await api.patch(client, at, [{ op: 'add', path: '/spec/suspend', value: true }, annotate(object, written)])
  return written
}

/** Puts back what the record says was there before. */
export async function undoScaleToZero(client: ClusterClient, target: RemediationTarget, object: KubeObject, done: RemediationRecord): Promise<string> {
  const at = { name: target.name, namespace: target.namespace }
  const api = KIND_APIS[target.kind]
  const forget = removeMapEntry('annotations', REMEDIATION_ANNOTATION)
  // undo() read the object first, so its kind has an API; a record on a bare Pod was not left by
  // this action, which deletes the Pod.
  if (api === undefined || target.kind === 'Pod') throw new UndoError(`${targetLabel(target)} was stopped by deletion, which leaves nothing to undo`)
  if (SCALABLE.has(target.kind) && api.patchScale !== undefined) {
    const replicas = done.restore.replicas
    // Guessing a count would start miner replicas nobody asked for.
    if (typeof replicas !== 'number')
      throw new UndoError(
        `the record on ${targetLabel(target)} holds no replica count to restore; scale it yourself, then remove the ${REMEDIATION_ANNOTATION} annotation`,
      )
    await api.patchScale(client, at, [setReplicas(replicas)])
    await api.patch(client, at, [forget])
    return `scaled ${targetLabel(target)} back to ${replicas} replicas`
  }
  if (target.kind === 'DaemonSet') {
    const previous = done.restore.nodeSelector
    const current = templateSpec(object).nodeSelector
    // `add` sets the map whether or not someone removed it by hand since; `remove` needs one there.
    const edits: JsonPatchOperation[] =
      previous !== null && previous !== undefined
        ? [{ op: 'add', path: NODE_SELECTOR, value: previous }]
        : current === undefined
          ? []
          : [{ op: 'remove', path: NODE_SELECTOR }]
    await api.patch(client, at, [...edits, forget])
    return `restored the node selector of ${targetLabel(target)}`
  }
  const suspend = done.restore.suspend === true
  await api.patch(client, at, [{ op: 'add', path: '/spec/suspend', value: suspend }, forget])
  return `${suspend ? 'left' : 'resumed'} ${targetLabel(target)}${suspend ? ' suspended, as it was before' : ''}`
}
