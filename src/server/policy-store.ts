// Holds the policy set the server answers with. A reload swaps it whole, so a review runs
// against one consistent set, and a failed reload leaves the last good one serving.
import type { PolicySet } from '../engine/types.ts'

export interface PolicyStore {
  current(): PolicySet
}

export interface ReloadablePolicyStore extends PolicyStore {
  replace(next: PolicySet): void
}

export function staticPolicyStore(policySet: PolicySet): PolicyStore {
  return { current: () => policySet }
}

export function reloadablePolicyStore(initial: PolicySet): ReloadablePolicyStore {
  let active = initial
  return {
    current: () => active,
    replace: (next) => {
      active = next
    },
  }
}
