// Sets allowPrivilegeEscalation: false where a container leaves it unset, so setuid binaries
// cannot gain privileges. A separate policy so a platform team can switch it off alone.
import type { ContainerMutationPolicy } from 'jackstop/policy'

export default {
  id: 'no-privilege-escalation',
  description: 'Sets securityContext.allowPrivilegeEscalation: false where it is unset.',
  severity: 'medium',
  action: 'warn',
  target: 'container',
  mode: 'mutate',
  prepare: ({ kit }) => {
    return (draft, { pod }) => {
      if (kit.isWindowsPod(pod.spec)) return []
      const securityContext = draft.securityContext ?? {}
      if (securityContext.allowPrivilegeEscalation !== undefined) return []
      // The API server rejects allowPrivilegeEscalation: false beside privileged or CAP_SYS_ADMIN.
      if (securityContext.privileged === true) return []
      const added = securityContext.capabilities?.add ?? []
      if (added.some((capability) => ['SYS_ADMIN', 'CAP_SYS_ADMIN'].includes(capability.toUpperCase()))) return []
      draft.securityContext = { ...securityContext, allowPrivilegeEscalation: false }
      return ['allowPrivilegeEscalation=false']
    }
  },
} satisfies ContainerMutationPolicy
