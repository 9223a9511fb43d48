// What a container sees besides its own spec: env values taken from the pod's annotations and
// labels (fieldRef) or from ConfigMaps (configMapKeyRef, envFrom), and files mounted from
// downwardAPI and ConfigMap volumes. A miner hidden in an annotation that a downwardAPI volume
// turns into a script is read here. ConfigMaps are known when they are in the same review
// (`jackstop check` reads several documents); the webhook reviews one object at a time.
import type { V1Container } from '../workloads/kubernetes.ts'
import { isRecord, type KubeObject } from '../workloads/kubernetes.ts'

export interface PodEnvironment {
  annotations: Readonly<Record<string, unknown>>
  labels: Readonly<Record<string, unknown>>
  /** ConfigMaps of the review by name, text data only. */
  configMaps: ReadonlyMap<string, Readonly<Record<string, unknown>>>
  /** The pod's volumes that can show a container text: downwardAPI and ConfigMap ones, direct or projected. */
  volumes: readonly unknown[]
}

export interface SourceText {
  field: string
  text: string
}

const EMPTY: PodEnvironment = { annotations: {}, labels: {}, configMaps: new Map(), volumes: [] }

/** The pod's metadata and volumes, and the ConfigMaps in `related` of the same namespace. */
export function podEnvironment(metadata: unknown, spec: unknown, related: readonly KubeObject[] | undefined, namespace: string | undefined): PodEnvironment {
  const meta = isRecord(metadata) ? metadata : {}
  const configMaps = new Map<string, Record<string, unknown>>()
  for (const object of related ?? []) {
    if (object.kind !== 'ConfigMap' || !isRecord(object.metadata) || typeof object.metadata.name !== 'string') continue
    const objectNamespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : undefined
    if (namespace !== undefined && objectNamespace !== undefined && objectNamespace !== namespace) continue
    if (isRecord(object.data)) configMaps.set(object.metadata.name, object.data)
  }
  if (configMaps.size === 0 && !isRecord(meta.annotations) && !isRecord(meta.labels)) return { ...EMPTY, volumes: volumesOf(spec) }
  return {
    annotations: isRecord(meta.annotations) ? meta.annotations : {},
    labels: isRecord(meta.labels) ? meta.labels : {},
    configMaps,
    volumes: volumesOf(spec),
  }
}

const showsText = (source: unknown) => isRecord(source) && (isRecord(source.downwardAPI) || isRecord(source.configMap))

/** Volumes that can put text in front of a container; the rest (secrets, tokens, emptyDir) are never read, so left out once per pod. */
function volumesOf(spec: unknown): unknown[] {
  if (!isRecord(spec) || !Array.isArray(spec.volumes)) return []
  return spec.volumes.filter(
    (volume) =>
      showsText(volume) ||
      (isRecord(volume) && isRecord(volume.projected) && Array.isArray(volume.projected.sources) && volume.projected.sources.some(showsText)),
  )
}

// `metadata.annotations['run']`, `metadata.labels['pool']`, or the whole map.
const FIELD_PATH = /^metadata\.(annotations|labels)(?:\['([^']*)'\])?$/

/** The texts a downward API field path puts in a file or an env value. */
function fieldPathTexts(path: unknown, environment: PodEnvironment): { key: string; text: string }[] {
  const match = typeof path === 'string' ? FIELD_PATH.exec(path) : null
  if (match === null) return []
  const map = match[1] === 'annotations' ? environment.annotations : environment.labels
  const key = match[2]
  const entries = key === undefined ? Object.entries(map) : [[key, map[key]] as const]
  return entries.flatMap(([name, value]) => (typeof value === 'string' ? [{ key: `${match[1]}['${name}']`, text: value }] : []))
}

/** The value an env entry takes from `valueFrom` (fieldRef to annotations or labels, configMapKeyRef). */
export function valueFromOf(entry: unknown, environment: PodEnvironment): string | undefined {
  if (!isRecord(entry) || !isRecord(entry.valueFrom)) return undefined
  const { fieldRef, configMapKeyRef } = entry.valueFrom
  if (isRecord(fieldRef)) return fieldPathTexts(fieldRef.fieldPath, environment)[0]?.text
  if (isRecord(configMapKeyRef) && typeof configMapKeyRef.name === 'string' && typeof configMapKeyRef.key === 'string') {
    const value = environment.configMaps.get(configMapKeyRef.name)?.[configMapKeyRef.key]
    return typeof value === 'string' ? value : undefined
  }
  return undefined
}

/** Env entries a container gets from `envFrom` ConfigMaps, in order, each with its field. */
export function envFromEntries(container: V1Container, environment: PodEnvironment): { name: string; field: string; text: string }[] {
  if (!Array.isArray(container.envFrom) || environment.configMaps.size === 0) return []
  return container.envFrom.flatMap((source, index) => {
    const ref = isRecord(source) && isRecord(source.configMapRef) ? source.configMapRef : undefined
    const data = typeof ref?.name === 'string' ? environment.configMaps.get(ref.name) : undefined
    const prefix = isRecord(source) && typeof source.prefix === 'string' ? source.prefix : ''
    return Object.entries(data ?? {}).flatMap(([key, value]) =>
      typeof value === 'string' ? [{ name: `${prefix}${key}`, field: `envFrom[${index}].configMapRef[${JSON.stringify(key)}]`, text: value }] : [],
    )
  })
}

/** Files the container's volume mounts show it: downwardAPI items and ConfigMap data, direct or projected. */
export function mountedTexts(container: V1Container, environment: PodEnvironment): SourceText[] {
  if (environment.volumes.length === 0 || !Array.isArray(container.volumeMounts)) return []
  const mounted = new Set(container.volumeMounts.flatMap((mount) => (isRecord(mount) && typeof mount.name === 'string' ? [mount.name] : [])))
  const texts: SourceText[] = []
  for (const volume of environment.volumes) {
    if (!isRecord(volume) || typeof volume.name !== 'string' || !mounted.has(volume.name)) continue
    const where = `volume "${volume.name}"`
    const projected = isRecord(volume.projected) && Array.isArray(volume.projected.sources) ? volume.projected.sources.filter(isRecord) : []
    const sources = [{ downwardAPI: volume.downwardAPI, configMap: volume.configMap }, ...projected]
    for (const source of sources) {
      const items = isRecord(source.downwardAPI) && Array.isArray(source.downwardAPI.items) ? source.downwardAPI.items : []
      for (const item of items) {
        if (!isRecord(item) || !isRecord(item.fieldRef)) continue
        for (const { key, text } of fieldPathTexts(item.fieldRef.fieldPath, environment)) texts.push({ field: `${where} ${key}`, text })
      }
      const configMap = isRecord(source.configMap) && typeof source.configMap.name === 'string' ? source.configMap.name : undefined
      const data = configMap === undefined ? undefined : environment.configMaps.get(configMap)
      for (const [key, value] of Object.entries(data ?? {})) {
        if (typeof value === 'string') texts.push({ field: `${where} configMap "${configMap}" [${JSON.stringify(key)}]`, text: value })
      }
    }
  }
  return texts
}
