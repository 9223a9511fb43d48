// ConfigMaps are reviewed because miners ship their pool and wallet as a mounted config.json.
import { isRecord, type KubeObject, type V1ConfigMap } from './kubernetes.ts'

export interface ConfigMapSubject {
  configMap: V1ConfigMap
  /** One entry per data key, text only: binaryData is opaque to us. */
  entries: { key: string; path: string; value: string }[]
}

export function configMapOf(object: KubeObject): ConfigMapSubject | undefined {
  if (object.kind !== 'ConfigMap') return undefined
  const data = isRecord(object.data) ? object.data : {}
  const entries = Object.entries(data)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => ({ key, path: `data[${JSON.stringify(key)}]`, value }))
  return { configMap: object as V1ConfigMap, entries }
}
