// Refuses containers that add capabilities which open the node to them. Names are compared
// as the container runtime reads them: case-insensitive, with or without the CAP_ prefix.
import type { ContainerValidationPolicy } from 'jackstop/policy'
import type { HostEscapesData } from './host-path-escapes.ts'

const canonical = (capability: string) => capability.toUpperCase().replace(/^CAP_/, '')

export default {
  id: 'dangerous-capabilities',
  description: 'Refuses containers that add SYS_ADMIN, SYS_PTRACE, SYS_MODULE and other capabilities that reach the node.',
  severity: 'high',
  action: 'deny',
  target: 'container',
  mode: 'validate',
  data: 'host-escapes.yaml',
  dataSchema: {
    type: 'object',
    required: ['capabilities'],
    properties: { capabilities: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_]+$' } } },
  },
  prepare: ({ data }) => {
    const dangerous = new Set(data.capabilities.map(canonical))
    return (container) =>
      (container.securityContext?.capabilities?.add ?? []).flatMap((capability, index) =>
        typeof capability === 'string' && dangerous.has(canonical(capability))
          ? [
              {
                field: `securityContext.capabilities.add[${index}]`,
                message: `securityContext.capabilities.add[${index}]: adds ${capability}, which reaches the node`,
              },
            ]
          : [],
      )
  },
} satisfies ContainerValidationPolicy<HostEscapesData>
