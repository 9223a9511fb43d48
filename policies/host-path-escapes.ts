// Refuses hostPath volumes that reach the node's container runtime socket or its root,
// /proc or /sys, including any parent directory of them (a mount of /var/run exposes
// /var/run/docker.sock just as well).
import type { PodValidationPolicy } from 'jackstop/policy'

/** policies/data/host-escapes.yaml, read by this policy and by dangerous-capabilities. */
export interface HostEscapesData {
  hostPaths: string[]
  capabilities: string[]
}

/** `/var//run/./x/../docker.sock/` -> `/var/run/docker.sock`, as the kubelet resolves it. */
function normalisePath(path: string): string {
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return `/${parts.join('/')}`
}

export default {
  id: 'host-path-escapes',
  description: 'Refuses hostPath volumes of container runtime sockets, the node root, /proc or /sys, or any parent of them.',
  severity: 'critical',
  action: 'deny',
  target: 'pod',
  mode: 'validate',
  data: 'host-escapes.yaml',
  dataSchema: {
    type: 'object',
    required: ['hostPaths'],
    properties: { hostPaths: { type: 'array', items: { type: 'string', pattern: '^/' } } },
  },
  prepare: ({ data }) => {
    const forbidden = data.hostPaths.map(normalisePath)
    return (spec) =>
      (spec.volumes ?? []).flatMap((volume, index) => {
        const path = volume?.hostPath?.path
        if (typeof path !== 'string') return []
        const mounted = normalisePath(path)
        const parent = mounted === '/' ? '/' : `${mounted}/`
        const reached = forbidden.find((target) => target === mounted) ?? forbidden.find((target) => target.startsWith(parent))
        if (reached === undefined) return []
        const why = reached === mounted ? `mounts the host's ${reached}` : `mounts a parent of the host's ${reached}`
        return [{ field: `volumes[${index}].hostPath.path`, message: `volumes[${index}].hostPath.path: volume "${volume.name}" ${why}` }]
      })
  },
} satisfies PodValidationPolicy<HostEscapesData>
