// Holds the policy set the server answers with. A reload swaps it whole, so a review runs
// against one consistent set, and a failed reload leaves the last good one serving.
import type { PolicySet } from '../engine/types.ts'

export interface PolicyStore {
  current(): PolicySet
}

export function staticPolicyStore(policySet: PolicySet): PolicyStore {
  return { current: () => policySet }
}
