// Refuses hostPath volumes that reach the node: runtime sockets, credentials, the node's root,
// /proc/<pid>/root, by what the path (with its subPath) is, holds or lies under. Read-only
// mounts of metric paths only warn, so node agents can be admitted; every other hostPath is
// reported because Pod Security baseline forbids them all.
import type { Action, PodValidationPolicy, V1PodSpec, Violation } from 'jackstop/policy'

type Rule = { path: string; why: string }
type ReadOnlyRule = Rule & { readOnly: Action | 'allow' }

/** policies/data/host-escapes.yaml, read by this policy and by dangerous-capabilities. */
export interface HostEscapesData {
  hostPaths: {
    aliases: Record<string, string>
    refused: Rule[]
    readOnly: ReadOnlyRule[]
    otherPaths: Action | 'allow'
    nodeAgents: { serviceAccount: string; paths: string[] }[]
  }
  capabilities: { dangerous: string[]; baseline: string[]; outsideBaseline: Action | 'allow' }
}

const absolute = { type: 'string', pattern: '^/' }
const verdict = { enum: ['deny', 'warn', 'audit', 'allow'] }
const rule = { type: 'object', required: ['path', 'why'], properties: { path: absolute, why: { type: 'string', minLength: 1 } } }

export const hostEscapesDataSchema = {
  type: 'object',
  required: ['hostPaths', 'capabilities'],
  properties: {
    hostPaths: {
      type: 'object',
      required: ['aliases', 'refused', 'readOnly', 'otherPaths', 'nodeAgents'],
      additionalProperties: false,
      properties: {
        aliases: { type: 'object', additionalProperties: absolute },
        refused: { type: 'array', items: { ...rule, additionalProperties: false } },
        readOnly: {
          type: 'array',
          items: { ...rule, required: ['path', 'why', 'readOnly'], additionalProperties: false, properties: { ...rule.properties, readOnly: verdict } },
        },
        otherPaths: verdict,
        nodeAgents: {
          type: 'array',
          items: {
            type: 'object',
            required: ['serviceAccount', 'paths'],
            additionalProperties: false,
            properties: { serviceAccount: { type: 'string', pattern: '^[^:\\s]+:[^:\\s]+$' }, paths: { type: 'array', items: absolute } },
          },
        },
      },
    },
    capabilities: {
      type: 'object',
      required: ['dangerous', 'baseline', 'outsideBaseline'],
      additionalProperties: false,
      properties: {
        dangerous: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_]+$' } },
        baseline: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_]+$' } },
        outsideBaseline: verdict,
      },
    },
  },
}

const STRENGTH = { allow: 0, audit: 1, warn: 2, deny: 3 } as const

interface Mount {
  path: string
  readOnly: boolean
  open: boolean
  /** Where the path is set: the volume, or the mount when a subPath changes it. */
  field: string
  /** The mount itself, where readOnly is set. */
  mountField: string
  how: string
}

interface RawMount {
  field: string
  container: string
  mount: NonNullable<V1PodSpec['containers'][number]['volumeMounts']>[number]
}

/** Each volume's mounts across every container, gathered in one pass: linear in the pod however many volumes it has. */
function mountsByVolume(spec: V1PodSpec): Map<string, RawMount[]> {
  const byVolume = new Map<string, RawMount[]>()
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    ;(spec[list] ?? []).forEach((container, index) => {
      ;(container?.volumeMounts ?? []).forEach((mount, mountIndex) => {
        if (typeof mount?.name !== 'string') return
        const entry = { field: `${list}[${index}].volumeMounts[${mountIndex}]`, container: container.name, mount }
        const known = byVolume.get(mount.name)
        if (known === undefined) byVolume.set(mount.name, [entry])
        else known.push(entry)
      })
    })
  }
  return byVolume
}

/** Every way the pod's containers reach a volume; an unmounted volume is judged as a read-only mount of its path. */
function mountsOf(raw: readonly RawMount[], hostPath: string, volumeField: string): Mount[] {
  const mounts = raw.map(({ field, container, mount }): Mount => {
    const subPath = typeof mount.subPath === 'string' && mount.subPath !== '' ? mount.subPath : undefined
    const open = typeof mount.subPathExpr === 'string' && mount.subPathExpr !== ''
    const how = `${mount.readOnly === true ? 'read-only' : 'writable'} in container "${container}"${subPath === undefined ? '' : ` at subPath "${subPath}"`}${open ? ` at subPathExpr "${mount.subPathExpr}"` : ''}`
    const path = subPath === undefined ? hostPath : `${hostPath}/${subPath}`
    return { path, readOnly: mount.readOnly === true, open, field: subPath === undefined && !open ? volumeField : field, mountField: field, how }
  })
  return mounts.length > 0
    ? mounts
    : [{ path: hostPath, readOnly: true, open: false, field: volumeField, mountField: volumeField, how: 'not mounted by any container' }]
}

export default {
  id: 'host-path-escapes',
  description:
    'Refuses hostPath volumes that reach container runtime sockets, node credentials, the node root or /proc/<pid>/root, by what they hold or lie under; warns about read-only metric paths and any other hostPath.',
  severity: 'critical',
  action: 'deny',
  target: 'pod',
  mode: 'validate',
  data: 'host-escapes.yaml',
  dataSchema: hostEscapesDataSchema,
  prepare: ({ data, kit }) => {
    const rules = kit.hostPaths.compile(data.hostPaths)
    const agents = new Map(data.hostPaths.nodeAgents.map((agent) => [agent.serviceAccount, agent.paths.map((path) => rules.normalise(path))]))
    const isAgentPath = (account: string, path: string) =>
      (agents.get(account) ?? []).some((allowed) => allowed === '/' || path === allowed || path.startsWith(`${allowed}/`))

    /** The finding for one mount, or undefined when it is admitted silently. */
    function judgeMount(mount: Mount, volume: string, account: string): (Violation & { strength: number }) | undefined {
      const found = rules.judge(mount)
      if (mount.readOnly && !mount.open && found.kind !== 'unlisted' && isAgentPath(account, found.path)) return undefined
      const says = (action: Action | 'allow', text: string, field = mount.field) =>
        action === 'allow' ? undefined : { field, action, strength: STRENGTH[action], message: `${field}: volume "${volume}" ${text}` }
      switch (found.kind) {
        case 'refused': {
          const where =
            found.relation === 'is'
              ? `mounts the host's ${found.path}`
              : found.relation === 'under'
                ? `mounts the host's ${found.path}, inside ${found.rule.path}`
                : `mounts the host's ${found.path}, which holds ${found.rule.path}`
          return says('deny', `${where} (${mount.how}): ${found.rule.why}`)
        }
        case 'writable':
          return says('deny', `mounts the host's ${found.path} (${mount.how}): ${found.rule.why}; mount it readOnly`, mount.mountField)
        case 'read-only':
          return says(found.rule.readOnly, `mounts the host's ${found.path} read-only: ${found.rule.why}`)
        default:
          return says(data.hostPaths.otherPaths, `mounts the host's ${found.path} (${mount.how}): Pod Security baseline forbids hostPath volumes`)
      }
    }

    return (spec, { namespace }) => {
      const account = `${namespace ?? 'default'}:${spec.serviceAccountName ?? 'default'}`
      const volumes = spec.volumes ?? []
      const mounts = volumes.some((volume) => volume?.hostPath !== undefined) ? mountsByVolume(spec) : new Map<string, RawMount[]>()
      return volumes.flatMap((volume, index) => {
        const path = volume?.hostPath?.path
        if (typeof path !== 'string') return []
        const volumeField = `volumes[${index}].hostPath.path`
        // One finding per volume: the strongest of its mounts.
        let strongest: (Violation & { strength: number }) | undefined
        for (const mount of mountsOf(mounts.get(volume.name) ?? [], path, volumeField)) {
          const finding = judgeMount(mount, volume.name, account)
          if (finding !== undefined && (strongest === undefined || finding.strength > strongest.strength)) strongest = finding
        }
        if (strongest === undefined) return []
        const { strength: _strength, ...violation } = strongest
        return [violation]
      })
    }
  },
} satisfies PodValidationPolicy<HostEscapesData>
