// Helpers handed to TypeScript policies at load, so policy files need no runtime imports.
import { normaliseImageRef } from '../detect/image-ref.ts'
import { tokenMatcher } from '../detect/token-matcher.ts'
import { isWindowsPod } from '../workloads/pod-os.ts'
import { compareQuantities, formatQuantity, isQuantity, parseQuantity } from '../workloads/quantity.ts'

export const policyKit = {
  normaliseImageRef,
  tokenMatcher,
  isWindowsPod,
  quantity: { parse: parseQuantity, compare: compareQuantities, format: formatQuantity, isValid: isQuantity },
}

export type PolicyKit = typeof policyKit
