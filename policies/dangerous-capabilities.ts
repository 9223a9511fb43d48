// Capabilities by allow list. Pod Security baseline's set is fine; a dangerous capability (it
// reaches the node or the kernel) is refused however it is spelled, as the runtime reads it:
// any case, with or without CAP_; anything else added is reported (warn by default).
import type { ContainerValidationPolicy } from 'jackstop/policy'
import { type HostEscapesData, hostEscapesDataSchema } from './host-path-escapes.ts'

const canonical = (capability: string) => capability.toUpperCase().replace(/^CAP_/, '')

export default {
  id: 'dangerous-capabilities',
  description:
    'Refuses containers that add SYS_ADMIN, SYS_PTRACE, SYS_MODULE and other capabilities that reach the node; reports any other capability outside the Pod Security baseline set.',
  severity: 'high',
  action: 'deny',
  target: 'container',
  mode: 'validate',
  data: 'host-escapes.yaml',
  dataSchema: hostEscapesDataSchema,
  prepare: ({ data }) => {
    const dangerous = new Set(data.capabilities.dangerous.map(canonical))
    // Pod Security compares exactly: CAP_CHOWN and chown are outside its set.
    const baseline = new Set(data.capabilities.baseline)
    const outside = data.capabilities.outsideBaseline
    return (container) =>
      (container.securityContext?.capabilities?.add ?? []).flatMap((capability, index) => {
        const field = `securityContext.capabilities.add[${index}]`
        if (typeof capability !== 'string') return [{ field, message: `${field}: is not a capability name` }]
        if (dangerous.has(canonical(capability))) return [{ field, message: `${field}: adds ${capability}, which reaches the node` }]
        if (baseline.has(capability) || outside === 'allow') return []
        const spelled = baseline.has(canonical(capability)) ? `; Pod Security baseline accepts it only spelled ${canonical(capability)}` : ''
        return [{ field, action: outside, message: `${field}: adds ${capability}, outside the Pod Security baseline set${spelled}` }]
      })
  },
} satisfies ContainerValidationPolicy<HostEscapesData>
