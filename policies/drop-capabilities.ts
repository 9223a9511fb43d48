// Drops every Linux capability a container does not ask for by name, so a miner that slips
// through cannot reach for kernel powers. `add` lists are kept: drop ALL plus add
// NET_BIND_SERVICE is the recommended pattern.
import type { ContainerMutationPolicy } from 'jackstop/policy'

export default {
  id: 'drop-capabilities',
  description: 'Adds securityContext.capabilities.drop: [ALL] to every Linux container, keeping any add list.',
  severity: 'medium',
  action: 'warn',
  target: 'container',
  mode: 'mutate',
  prepare: ({ kit }) => {
    return (draft, { pod }) => {
      if (kit.isWindowsPod(pod.spec)) return []
      const securityContext = draft.securityContext ?? {}
      const capabilities = securityContext.capabilities ?? {}
      const drop = capabilities.drop ?? []
      if (drop.some((capability) => capability.toUpperCase() === 'ALL')) return []
      // Appended, never replaced: what the user dropped stays dropped.
      draft.securityContext = { ...securityContext, capabilities: { ...capabilities, drop: [...drop, 'ALL'] } }
      return ['capabilities.drop=[ALL]']
    }
  },
} satisfies ContainerMutationPolicy
