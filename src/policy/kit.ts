// Helpers handed to TypeScript policies at load, so policy files need no runtime imports.
import { normaliseImageRef } from '../detect/image-ref.ts'
import { tokenMatcher } from '../detect/token-matcher.ts'

export const policyKit = {
  normaliseImageRef,
  tokenMatcher,
}

export type PolicyKit = typeof policyKit
