// A policy test names the policies it exercises and runs against those alone, so adding an
// unrelated policy to the set cannot change its outcome. A test without names runs them all.
import type { PolicySet } from '../engine/types.ts'

export type Selection = { ok: true; policySet: PolicySet } | { ok: false; unknown: string[] }

/** The named policies of `policySet`; a name not in the set is an error, never a silent skip. */
export function selectPolicies(policySet: PolicySet, names: readonly string[] | undefined): Selection {
  if (names === undefined) return { ok: true, policySet }
  const wanted = new Set(names)
  const known = new Set(policySet.policies.map((policy) => policy.id))
  const unknown = [...wanted].filter((name) => !known.has(name))
  if (unknown.length > 0) return { ok: false, unknown }
  return { ok: true, policySet: { ...policySet, policies: policySet.policies.filter((policy) => wanted.has(policy.id)) } }
}
