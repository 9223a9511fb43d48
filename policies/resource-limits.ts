// Adds missing cpu and memory requests and limits, so a miner cannot take a node's cores.
// The API server refuses a limit below its request: a request above the default limit
// raises the new limit to the request instead.
import type { ContainerMutationPolicy } from 'jackstop/policy'

type Resource = 'cpu' | 'memory'
type Amounts = Partial<Record<Resource, string>>
interface Defaults {
  requests?: Amounts
  limits?: Amounts
}
interface ResourceDefaultsData {
  default: Defaults
  namespaces?: Record<string, Defaults>
}

const RESOURCES: Resource[] = ['cpu', 'memory']
// The grammar is the kit's quantity parser (checked in prepare), not a second pattern here.
const quantity = { type: ['string', 'number'] }
const amounts = { type: 'object', additionalProperties: false, properties: { cpu: quantity, memory: quantity } }
const defaults = { type: 'object', additionalProperties: false, properties: { requests: amounts, limits: amounts } }

export default {
  id: 'resource-limits',
  description: 'Adds missing cpu and memory requests and limits from defaults a platform team sets, never lowering what a user set.',
  severity: 'medium',
  action: 'warn',
  target: 'container',
  mode: 'mutate',
  data: 'resource-defaults.yaml',
  dataSchema: {
    type: 'object',
    required: ['default'],
    additionalProperties: false,
    properties: { default: defaults, namespaces: { type: 'object', additionalProperties: defaults } },
  },
  prepare: ({ data, kit }) => {
    const q = kit.quantity
    type Parsed = NonNullable<ReturnType<typeof q.parse>>
    type Wanted = Record<'requests' | 'limits', Partial<Record<Resource, Parsed>>> & {
      /** The defaults as written into a pod, formatted once rather than once per container. */
      text: Record<'requests' | 'limits', Partial<Record<Resource, string>>>
    }
    // Defaults are parsed once per namespace, not once per container.
    const parseAll = (amounts: Amounts = {}) =>
      Object.fromEntries(Object.entries(amounts).map(([resource, value]) => [resource, q.parse(String(value)) as Parsed]))
    // Checked at load, so a typo fails the policy set instead of the first review in that namespace.
    const zero = q.parse('0') as Parsed
    const sets: [string, Defaults][] = [
      ['default', data.default],
      ...Object.entries(data.namespaces ?? {}).map(([name, set]): [string, Defaults] => [`namespaces/${name}`, set]),
    ]
    for (const [where, set] of sets) {
      for (const kind of ['requests', 'limits'] as const) {
        for (const [resource, value] of Object.entries(set[kind] ?? {})) {
          const parsed = q.parse(String(value))
          if (parsed === undefined || q.compare(parsed, zero) < 0)
            throw new Error(`/${where}/${kind}/${resource}: "${value}" is not a Kubernetes quantity of zero or more`)
        }
      }
    }
    const resolved = new Map<string | undefined, Wanted>()
    const wantedIn = (namespace: string | undefined): Wanted => {
      let wanted = resolved.get(namespace)
      if (wanted === undefined) {
        const override = namespace === undefined ? undefined : data.namespaces?.[namespace]
        const requests = parseAll({ ...data.default.requests, ...override?.requests })
        const limits = parseAll({ ...data.default.limits, ...override?.limits })
        const format = (parsed: Partial<Record<Resource, Parsed>>) =>
          Object.fromEntries(Object.entries(parsed).map(([resource, value]) => [resource, q.format(value as Parsed)]))
        wanted = { requests, limits, text: { requests: format(requests), limits: format(limits) } }
        if (resolved.size < 10_000) resolved.set(namespace, wanted)
      }
      return wanted
    }
    return (draft, { namespace, container }) => {
      // The API server forbids resources on ephemeral containers.
      if (container.list === 'ephemeralContainers') return []
      const wanted = wantedIn(namespace)
      // One read of the draft's resources (each read of a draft field goes through its Proxy).
      const resources = draft.resources
      const requests = { ...resources?.requests }
      const limits = { ...resources?.limits }
      const edits: string[] = []
      for (const resource of RESOURCES) {
        const requested = requests[resource]
        const limited = limits[resource]
        const defaultRequest = wanted.requests[resource]
        const defaultLimit = wanted.limits[resource]
        // The user's request is parsed only to compare it with a default limit about to be added.
        let request = requested === undefined || limited !== undefined || defaultLimit === undefined ? undefined : q.parse(requested)
        if (requested === undefined && defaultRequest !== undefined) {
          // Never request more than the user's own limit.
          const limit = limited === undefined ? undefined : q.parse(limited)
          request = limit !== undefined && q.compare(limit, defaultRequest) < 0 ? limit : defaultRequest
          requests[resource] = request === defaultRequest ? (wanted.text.requests[resource] as string) : q.format(request)
          edits.push(`requests.${resource}=${requests[resource]}`)
        }
        if (limited === undefined && defaultLimit !== undefined) {
          const raise = request !== undefined && q.compare(request, defaultLimit) > 0
          limits[resource] = raise ? q.format(request as Parsed) : (wanted.text.limits[resource] as string)
          edits.push(`limits.${resource}=${limits[resource]}${raise ? ` (raised to the request, above the default ${wanted.text.limits[resource]})` : ''}`)
        }
      }
      if (edits.length === 0) return []
      const edited = { ...resources }
      if (Object.keys(requests).length > 0) edited.requests = requests
      if (Object.keys(limits).length > 0) edited.limits = limits
      draft.resources = edited
      return edits
    }
  },
} satisfies ContainerMutationPolicy<ResourceDefaultsData>
