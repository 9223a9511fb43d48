// The writes remediation makes, per kind, through client-node's typed clients. Every change is
// a JSON Patch (RFC 6902), so a `test` operation can make it conditional on what was read.

import type { JsonPatchOperation } from '../engine/types.ts'
import type { ClusterClient } from '../kube/cluster.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'

type Named = { name: string; namespace: string }

interface KindApi {
  read(client: ClusterClient, at: Named): Promise<unknown>
  patch(client: ClusterClient, at: Named, body: JsonPatchOperation[]): Promise<unknown>
  readScale?(client: ClusterClient, at: Named): Promise<{ spec?: { replicas?: number } }>
  patchScale?(client: ClusterClient, at: Named, body: JsonPatchOperation[]): Promise<unknown>
}

export const KIND_APIS: Readonly<Record<string, KindApi>> = {
  Deployment: {
    read: (c, at) => c.apps.readNamespacedDeployment(at),
    patch: (c, at, body) => c.apps.patchNamespacedDeployment({ ...at, body }),
    readScale: (c, at) => c.apps.readNamespacedDeploymentScale(at),
    patchScale: (c, at, body) => c.apps.patchNamespacedDeploymentScale({ ...at, body }),
  },
  StatefulSet: {
    read: (c, at) => c.apps.readNamespacedStatefulSet(at),
    patch: (c, at, body) => c.apps.patchNamespacedStatefulSet({ ...at, body }),
    readScale: (c, at) => c.apps.readNamespacedStatefulSetScale(at),
    patchScale: (c, at, body) => c.apps.patchNamespacedStatefulSetScale({ ...at, body }),
  },
  ReplicaSet: {
    read: (c, at) => c.apps.readNamespacedReplicaSet(at),
    patch: (c, at, body) => c.apps.patchNamespacedReplicaSet({ ...at, body }),
    readScale: (c, at) => c.apps.readNamespacedReplicaSetScale(at),
    patchScale: (c, at, body) => c.apps.patchNamespacedReplicaSetScale({ ...at, body }),
  },
  ReplicationController: {
    read: (c, at) => c.core.readNamespacedReplicationController(at),
    patch: (c, at, body) => c.core.patchNamespacedReplicationController({ ...at, body }),
    readScale: (c, at) => c.core.readNamespacedReplicationControllerScale(at),
    patchScale: (c, at, body) => c.core.patchNamespacedReplicationControllerScale({ ...at, body }),
  },
  DaemonSet: {
    read: (c, at) => c.apps.readNamespacedDaemonSet(at),
    patch: (c, at, body) => c.apps.patchNamespacedDaemonSet({ ...at, body }),
  },
  CronJob: {
    read: (c, at) => c.batch.readNamespacedCronJob(at),
    patch: (c, at, body) => c.batch.patchNamespacedCronJob({ ...at, body }),
  },
  Job: {
    read: (c, at) => c.batch.readNamespacedJob(at),
    patch: (c, at, body) => c.batch.patchNamespacedJob({ ...at, body }),
  },
  Pod: {
    read: (c, at) => c.core.readNamespacedPod(at),
    patch: (c, at, body) => c.core.patchNamespacedPod({ ...at, body }),
  },
}

export async function readObject(client: ClusterClient, kind: string, at: Named): Promise<KubeObject> {
  const api = KIND_APIS[kind]
  if (api === undefined) throw new Error(`jackstop does not remediate a ${kind}`)
  return (await api.read(client, at)) as KubeObject
}

/** `/metadata/annotations/jackstop.io~1remediation`, or the whole map when the object has none. */
export function setMapEntry(object: KubeObject, map: 'annotations' | 'labels', key: string, value: string): JsonPatchOperation {
  const existing = object.metadata?.[map]
  if (existing === undefined || existing === null) return { op: 'add', path: `/metadata/${map}`, value: { [key]: value } }
  return { op: 'add', path: `/metadata/${map}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value }
}

export function removeMapEntry(map: 'annotations' | 'labels', key: string): JsonPatchOperation {
  return { op: 'remove', path: `/metadata/${map}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` }
}

/** Whether the API said 404: the object is gone, which for a remediation is the goal reached. */
export function isNotFound(error: unknown): boolean {
  return (error as { code?: number }).code === 404
}
