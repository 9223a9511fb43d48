// Finds every pod spec an object carries, with the path the API server would report for it:
// built-in workloads here, custom resources from pod-templates.json, and in any other object
// every map that holds a list of containers (a miner in an unknown CRD is still a miner).
import { joinPath, type Selected, selectPath } from './field-path.ts'
import { isRecord, type KubeObject, type V1Container, type V1ObjectMeta, type V1PodSpec } from './kubernetes.ts'
import podTemplates from './pod-templates.json' with { type: 'json' }

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
  /** For pods assembled from container fields: where each container really is. */
  containerPaths?: Partial<Record<ContainerList, string[]>>
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

interface ContainerGroup {
  each: string
  podFields?: string
  containers?: string[]
  initContainers?: string[]
}

interface CustomWorkload {
  group: string
  kinds: string[]
  podSpecs?: string[]
  containerGroups?: ContainerGroup[]
}

const CUSTOM_WORKLOADS = new Map<string, CustomWorkload>(
  (podTemplates.workloads as CustomWorkload[]).flatMap((entry) => entry.kinds.map((kind) => [`${entry.group}/${kind}`, entry] as const)),
)
const SCRIPT_FIELDS: readonly string[] = podTemplates.scriptFields
// Kinds that hold no pods but may hold text about them (a CRD's schema describes containers).
const NOT_WORKLOADS = new Set(['ConfigMap', 'Secret', 'CustomResourceDefinition'])

function groupOf(apiVersion: string | undefined): string {
  const slash = apiVersion?.indexOf('/') ?? -1
  return slash === -1 ? '' : (apiVersion as string).slice(0, slash)
}

function templateSubject(object: KubeObject, selected: Selected): PodSpecSubject[] {
  if (!isRecord(selected.value)) return []
  // The pods' metadata sits beside their spec: `template.metadata` next to `template.spec`.
  const holder = selected.pointer.length <= 1 ? object : at(object, selected.pointer.slice(0, -1))
  const podMetadata = isRecord(holder) && isRecord(holder.metadata) ? holder.metadata : {}
  return [{ path: selected.path, pointer: selected.pointer, spec: selected.value as unknown as V1PodSpec, podMetadata, isTemplate: true }]
}

/** An inline script (Argo `script.source`, Tekton `script`) is what the container runs: scan it as an argument. */
function withScripts(container: Record<string, unknown>): Record<string, unknown> {
  const scripts = SCRIPT_FIELDS.map((field) => container[field]).filter((value): value is string => typeof value === 'string')
  if (scripts.length === 0) return container
  const args = Array.isArray(container.args) ? container.args : []
  return { ...container, args: [...args, ...scripts] }
}

function assembledSubjects(object: KubeObject, group: ContainerGroup): PodSpecSubject[] {
  const root: Selected = { path: '', pointer: [], value: object }
  const podFields = group.podFields === undefined ? undefined : selectPath(root, group.podFields)[0]?.value
  return selectPath(root, group.each).flatMap((selected) => {
    if (!isRecord(selected.value)) return []
    const spec: Record<string, unknown> = { ...(isRecord(podFields) ? podFields : {}) }
    const containerPaths: Partial<Record<ContainerList, string[]>> = {}
    for (const list of ['containers', 'initContainers'] as const) {
      const found = (group[list] ?? []).flatMap((field) => selectPath(selected, field)).filter((item) => isRecord(item.value))
      spec[list] = found.map((item) => withScripts(item.value as Record<string, unknown>))
      containerPaths[list] = found.map((item) => item.path)
    }
    return [{ path: selected.path, pointer: selected.pointer, spec: spec as unknown as V1PodSpec, podMetadata: {}, isTemplate: true, containerPaths }]
  })
}

function looksLikePodSpec(value: Record<string, unknown>): boolean {
  return Array.isArray(value.containers) && value.containers.some((container) => isRecord(container) && typeof container.image === 'string')
}

interface WalkNode {
  parent: WalkNode | undefined
  key: string | number
  value: unknown
}

/** The path of a node, built only for the few that hold a pod spec (so the walk stays linear). */
function located(node: WalkNode): Selected {
  const keys: (string | number)[] = []
  for (let at: WalkNode | undefined = node; at?.parent !== undefined; at = at.parent) keys.push(at.key)
  keys.reverse()
  const path = keys.reduce<string>((joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : joinPath(joined, key)), '')
  return { path, pointer: keys.map(String), value: node.value }
}

/** Every map below the root holding a list of containers; linear in the object, no recursion. */
function discoveredPodSpecs(object: KubeObject): PodSpecSubject[] {
  const found: PodSpecSubject[] = []
  const stack: WalkNode[] = [{ parent: undefined, key: '', value: object }]
  while (stack.length > 0) {
    const node = stack.pop() as WalkNode
    const { value } = node
    if (node.parent !== undefined && isRecord(value) && looksLikePodSpec(value)) {
      found.push(...templateSubject(object, located(node)))
      continue
    }
    const children: WalkNode[] = Array.isArray(value)
      ? value.map((item, index) => ({ parent: node, key: index, value: item }))
      : isRecord(value)
        ? Object.entries(value).map(([key, item]) => ({ parent: node, key, value: item }))
        : []
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index] as WalkNode)
  }
  return found
}

/** Every pod spec in the object: one for built-in workloads, any number for custom resources. */
export function podSpecsOf(object: KubeObject): PodSpecSubject[] {
  const pointer = object.kind === undefined ? undefined : POD_SPEC_POINTERS[object.kind]
  if (pointer === undefined) return customPodSpecs(object)
  const spec = at(object, pointer)
  if (!isRecord(spec)) return []
  const isTemplate = object.kind !== 'Pod'
  const metadataHolder = isTemplate ? at(object, pointer.slice(0, -1)) : object
  const podMetadata = isRecord(metadataHolder) && isRecord(metadataHolder.metadata) ? metadataHolder.metadata : {}
  return [{ path: pointer.join('.'), pointer, spec: spec as unknown as V1PodSpec, podMetadata, isTemplate }]
}

function customPodSpecs(object: KubeObject): PodSpecSubject[] {
  if (typeof object.kind !== 'string') return []
  const known = CUSTOM_WORKLOADS.get(`${groupOf(object.apiVersion)}/${object.kind}`)
  if (known === undefined) return NOT_WORKLOADS.has(object.kind) ? [] : discoveredPodSpecs(object)
  const root: Selected = { path: '', pointer: [], value: object }
  return [
    ...(known.podSpecs ?? []).flatMap((path) => selectPath(root, path).flatMap((selected) => templateSubject(object, selected))),
    ...(known.containerGroups ?? []).flatMap((group) => assembledSubjects(object, group)),
  ]
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
      const path = subject.containerPaths?.[list]?.[index] ?? `${subject.path}.${list}[${index}]`
      found.push({ list, index, path, name, container: container as unknown as V1Container })
    })
  }
  return found
}
