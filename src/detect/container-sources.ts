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
  volumes: readonly Readonly<Record<string, unknown>>[]
}

export interface SourceText {
  field: string
  text: string
  /** A mounted ConfigMap file the container does not run: read for a miner config only (docs/detection.md). */
  configOnly?: true
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
function volumesOf(spec: unknown): Record<string, unknown>[] {
  if (!isRecord(spec) || !Array.isArray(spec.volumes)) return []
  return spec.volumes.filter(
    (volume): volume is Record<string, unknown> =>
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

const SLASH = 47

/** `/cfg/` and `/cfg` name the same directory. A loop, not `/\/+$/`: that expression retries from every slash of a run (quadratic). */
function withoutTrailingSlashes(path: string): string {
  let end = path.length
  while (end > 0 && path.charCodeAt(end - 1) === SLASH) end--
  return end === path.length ? path : path.slice(0, end)
}

interface Mount {
  /** Undefined for a mount without a path (the API server refuses one): its files are then read in full. */
  path: string | undefined
  subPath: string | undefined
}

/** Where each volume is mounted in the container, by volume name. */
function mountsOf(container: V1Container): Map<string, Mount[]> {
  const mounts = new Map<string, Mount[]>()
  for (const mount of container.volumeMounts as unknown[]) {
    if (!isRecord(mount) || typeof mount.name !== 'string') continue
    const subPath = typeof mount.subPath === 'string' && mount.subPath !== '' ? withoutTrailingSlashes(mount.subPath) : undefined
    const list = mounts.get(mount.name) ?? []
    list.push({ path: typeof mount.mountPath === 'string' ? withoutTrailingSlashes(mount.mountPath) : undefined, subPath })
    mounts.set(mount.name, list)
  }
  return mounts
}

/** Where a file of the volume (`name` relative to its root) appears in the container, if the mount shows it. */
function mountedPath(mount: Mount & { path: string }, name: string): string | undefined {
  if (mount.subPath === undefined) return `${mount.path}/${name}`
  if (name === mount.subPath) return mount.path
  return name.startsWith(`${mount.subPath}/`) ? `${mount.path}${name.slice(mount.subPath.length)}` : undefined
}

// Shell words end at white space, quotes and the separators a command line joins commands with.
const WORD_BREAK = /[\s'"`;|&()<>]+/
const GLOB = /[*?[$]/

/**
 * What the container's command lines and env values name: every path-like word, and the ones
 * that are operands (not the value of a `--option=`): a directory handed over as an operand
 * (`run-parts /cfg`, `cd /cfg`) or a glob (`/cfg/*.sh`) may run any file in it; a directory
 * given as `--policies=/app/policies` is where a program reads its data.
 */
export class NamedPaths {
  readonly #words = new Set<string>()
  readonly #operands = new Set<string>()
  readonly #globs = new Set<string>()
  /** Past this many distinct globs every file counts as named: the check stays linear, and fails closed. */
  static readonly GLOB_LIMIT = 64

  constructor(texts: readonly string[]) {
    for (const text of texts) {
      if (!text.includes('/')) continue
      for (const word of text.split(WORD_BREAK)) {
        const equals = word.indexOf('=')
        const optionValue = equals !== -1 && word.startsWith('-')
        for (const part of equals === -1 ? [word] : word.split('=')) {
          if (!part.includes('/')) continue
          const path = withoutTrailingSlashes(part)
          const glob = GLOB.exec(path)
          if (glob !== null) this.#globs.add(path.slice(0, glob.index))
          this.#words.add(path)
          if (!optionValue) this.#operands.add(path)
        }
      }
    }
  }

  /** Whether the container runs or hands over the file at `path`, mounted under the directory `mountPath`. */
  names(path: string, mountPath: string): boolean {
    if (this.#words.has(path) || (path !== mountPath && this.#operands.has(mountPath))) return true
    if (this.#globs.size > NamedPaths.GLOB_LIMIT) return true
    for (const prefix of this.#globs) if (path.startsWith(prefix)) return true
    return false
  }
}

/**
 * Files the container's volume mounts show it: downwardAPI items and ConfigMap data, direct or
 * projected, each at the path its mount gives it. A ConfigMap file the container's command
 * lines and env values do not name (`named`) is marked `configOnly`: read for a miner config,
 * not as a script (a ConfigMap of policy source that names xmrig is data).
 */
export function mountedTexts(container: V1Container, environment: PodEnvironment, namedIn: () => readonly string[]): SourceText[] {
  if (environment.volumes.length === 0 || !Array.isArray(container.volumeMounts)) return []
  let named: NamedPaths | undefined
  const mounts = mountsOf(container)
  const texts: SourceText[] = []
  for (const volume of environment.volumes) {
    const volumeMounts = typeof volume.name === 'string' ? mounts.get(volume.name) : undefined
    if (volumeMounts === undefined) continue
    const where = `volume "${volume.name}"`
    const projected = isRecord(volume.projected) && Array.isArray(volume.projected.sources) ? volume.projected.sources.filter(isRecord) : []
    const sources = [{ downwardAPI: volume.downwardAPI, configMap: volume.configMap }, ...projected]
    for (const source of sources) {
      const items = isRecord(source.downwardAPI) && Array.isArray(source.downwardAPI.items) ? source.downwardAPI.items : []
      for (const item of items) {
        if (!isRecord(item) || !isRecord(item.fieldRef)) continue
        for (const { key, text } of fieldPathTexts(item.fieldRef.fieldPath, environment)) texts.push({ field: `${where} ${key}`, text })
      }
      const configMap = isRecord(source.configMap) && typeof source.configMap.name === 'string' ? source.configMap : undefined
      const data = configMap === undefined ? undefined : environment.configMaps.get(configMap.name as string)
      if (configMap === undefined || data === undefined) continue
      // `items` picks keys and names their files; without it every key is a file of its own name.
      const files = Array.isArray(configMap.items)
        ? configMap.items.flatMap((item) =>
            isRecord(item) && typeof item.key === 'string' ? [[item.key, typeof item.path === 'string' ? item.path : item.key]] : [],
          )
        : Object.keys(data).map((key) => [key, key])
      for (const [key, file] of files as [string, string][]) {
        const value = data[key]
        if (typeof value !== 'string') continue
        const pathless = volumeMounts.some((mount) => mount.path === undefined)
        const paths = volumeMounts.flatMap((mount) => {
          const path = mount.path === undefined ? undefined : mountedPath(mount as Mount & { path: string }, file)
          return path === undefined ? [] : [{ path, mount: mount.path as string }]
        })
        if (paths.length === 0 && !pathless) continue
        const field = `${where} configMap "${configMap.name}" [${JSON.stringify(key)}]`
        named ??= new NamedPaths(namedIn())
        const runs = pathless || paths.some(({ path, mount }) => (named as NamedPaths).names(path, mount))
        texts.push(runs ? { field, text: value } : { field, text: value, configOnly: true })
      }
    }
  }
  return texts
}
