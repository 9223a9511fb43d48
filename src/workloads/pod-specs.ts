// Finds every pod spec an object carries, with the path the API server would report for it.
import { isRecord, type KubeObject, type V1Container, type V1ObjectMeta, type V1PodSpec } from './kubernetes.ts'

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers'

export interface PodSpecSubject {
  /** Dotted path of the pod spec inside the object, e.g. `spec.template.spec`. */
  path: string
  /** Field names leading to the pod spec, for derived patches and drafts. */
  pointer: readonly string[]
  spec: V1PodSpec
  /** The metadata that belongs to the pods: the pod's own, or the template's. */
  podMetadata: V1ObjectMeta
  /** True for a controller's pod template (validated, never mutated). */
  isTemplate: boolean
}

export interface ContainerSubject {
  list: ContainerList
  index: number
  /** e.g. `spec.initContainers[0]` */
  path: string
  name: string
  container: V1Container
}

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_POINTERS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
}

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_POINTERS)

function at(object: unknown, pointer: readonly string[]): unknown {
  let value = object
  for (const key of pointer) {
    if (!isRecord(value)) return undefined
    value = value[key]
  }
  return value
}

/** Every pod spec in the object (at most one today; a list keeps callers honest about absence). */
export function podSpecsOf(object: KubeObject): PodSpecSubject[] {
  const pointer = object.kind === undefined ? undefined : POD_SPEC_POINTERS[object.kind]
  if (pointer === undefined) return []
  const spec = at(object, pointer)
  if (!isRecord(spec)) return []
  const isTemplate = object.kind !== 'Pod'
  const metadataHolder = isTemplate ? at(object, pointer.slice(0, -1)) : object
  const podMetadata = isRecord(metadataHolder) && isRecord(metadataHolder.metadata) ? metadataHolder.metadata : {}
  return [{ path: pointer.join('.'), pointer, spec: spec as unknown as V1PodSpec, podMetadata, isTemplate }]
}

const CONTAINER_LISTS: readonly ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers']

/** Every container of a pod spec, init and ephemeral ones included: miners hide there. */
export function containersOf(subject: PodSpecSubject): ContainerSubject[] {
  const found: ContainerSubject[] = []
  for (const list of CONTAINER_LISTS) {
    const containers: unknown = subject.spec[list]
    if (!Array.isArray(containers)) continue
    containers.forEach((container: unknown, index) => {
      if (!isRecord(container)) return
      const name = typeof container.name === 'string' ? container.name : ''
      found.push({ list, index, path: `${subject.path}.${list}[${index}]`, name, container: container as unknown as V1Container })
    })
  }
  return found
}
