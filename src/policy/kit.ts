// Helpers handed to TypeScript policies at load, so policy files need no runtime imports.

import { containerPorts, containerTexts } from '../detect/container-text.ts'
import { normaliseImageRef } from '../detect/image-ref.ts'
import { compilePackageIndex } from '../detect/malicious-packages.ts'
import { minerConfigSigns } from '../detect/miner-config.ts'
import { packageInstalls } from '../detect/package-installs.ts'
import { compileSignalScanner, signalViolations } from '../detect/signals.ts'
import { tokenMatcher } from '../detect/token-matcher.ts'
import { citation } from '../intel/types.ts'
import { isWindowsPod } from '../workloads/pod-os.ts'
import { compareQuantities, formatQuantity, isQuantity, parseQuantity } from '../workloads/quantity.ts'

export const policyKit = {
  normaliseImageRef,
  tokenMatcher,
  isWindowsPod,
  intel: { citation },
  packages: { installs: packageInstalls, compileIndex: compilePackageIndex },
  quantity: { parse: parseQuantity, compare: compareQuantities, format: formatQuantity, isValid: isQuantity },
  signals: { compileScanner: compileSignalScanner, violations: signalViolations, containerTexts, containerPorts, minerConfigSigns },
}

export type PolicyKit = typeof policyKit
