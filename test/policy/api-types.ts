// Type-level tests of the policy author's API: `npm test` type-checks this file (tsc in pretest),
// so a change that breaks a policy written against `jackstop/policy` fails the build.
import type { ContainerMutationPolicy, ContainerValidationPolicy, PodValidationPolicy, PolicyKit } from 'jackstop/policy'

export const validates = {
  id: 'typed',
  description: 'a validation policy with typed data',
  severity: 'low',
  action: 'warn',
  target: 'container',
  mode: 'validate',
  prepare: ({ data, kit }) => {
    const banned = kit.tokenMatcher(data.words)
    return (container) => {
      const word = banned(container.image ?? '')
      return word === undefined ? [] : [{ field: 'image', message: `image: named like ${word}` }]
    }
  },
} satisfies ContainerValidationPolicy<{ words: string[] }>

export const mutates = {
  id: 'typed-mutation',
  description: 'a mutation policy',
  severity: 'low',
  action: 'warn',
  target: 'container',
  mode: 'mutate',
  prepare: () => (draft) => {
    draft.imagePullPolicy = 'Always'
    return ['imagePullPolicy=Always']
  },
} satisfies ContainerMutationPolicy

export const wrongTarget = {
  id: 'wrong',
  description: 'a pod validator declared for containers',
  severity: 'low',
  action: 'warn',
  // @ts-expect-error: a pod validation policy has target 'pod'
  target: 'container',
  mode: 'validate',
  prepare: () => () => [],
} satisfies PodValidationPolicy

export const wrongAction = {
  id: 'wrong',
  description: 'an action the engine does not know',
  severity: 'low',
  // @ts-expect-error: the actions are deny, warn and audit
  action: 'block',
  target: 'container',
  mode: 'validate',
  prepare: () => () => [],
} satisfies ContainerValidationPolicy

export function internalsAreNotInTheKit(kit: PolicyKit): void {
  // @ts-expect-error: the scorer behind signals.violations is an internal, not part of the kit
  kit.signals.score([])
  // @ts-expect-error: the kit is read-only at run time
  kit.quantity.parse = () => undefined
}
