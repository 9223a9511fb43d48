// Kubernetes object types come from @kubernetes/client-node; this module adds the loose shapes
// that arrive over the wire before anything is known about them.
import type { V1ConfigMap, V1Container, V1EphemeralContainer, V1ObjectMeta, V1PodSpec } from '@kubernetes/client-node'

export type { V1ConfigMap, V1Container, V1EphemeralContainer, V1ObjectMeta, V1PodSpec }

/** Any Kubernetes object as decoded from JSON or YAML. */
export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata?: V1ObjectMeta
  [field: string]: unknown
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
