// Helpers handed to TypeScript policies at load, so policy files need no runtime imports. The
// shape is the public `PolicyKit` of src/policy/api.ts; frozen, so one policy cannot change
// what another receives.

import { type PodEnvironment, podEnvironment } from '../detect/container-sources.ts'
import { commandLines, containerPorts, containerTexts, readCommandLines } from '../detect/container-text.ts'
import { markDataContext } from '../detect/data-context.ts'
import { decodedTexts } from '../detect/decoded-texts.ts'
import { compileHostPathRules } from '../detect/host-paths.ts'
import { normaliseImageRef } from '../detect/image-ref.ts'
import { compileUpstreamResolver } from '../detect/image-upstream.ts'
import { compileInstallerFinder } from '../detect/installer-urls.ts'
import { compilePackageIndex, describeInstall } from '../detect/malicious-packages.ts'
import { minerConfigSigns } from '../detect/miner-config.ts'
import { compileGrammar, envCommandLine } from '../detect/miner-grammar.ts'
import { packageInstalls } from '../detect/package-installs.ts'
import type { ReviewBudget } from '../detect/review-budget.ts'
import { checkScoring, compileSignalScanner, signalViolations } from '../detect/signals.ts'
import { tokenMatcher } from '../detect/token-matcher.ts'
import type { PodContext } from '../engine/types.ts'
import { citation } from '../intel/types.ts'
import type { V1Container } from '../workloads/kubernetes.ts'
import { isWindowsPod } from '../workloads/pod-os.ts'
import { compareQuantities, formatQuantity, isQuantity, parseQuantity } from '../workloads/quantity.ts'
import type { FieldText, PolicyKit } from './api.ts'

export type { PolicyKit }

/** The pod's environment, once per pod and review (every container and policy of the pod reads it). */
function environmentOf({ pod, related, namespace, budget }: PodContext): PodEnvironment {
  return budget.readOnce(pod, () => podEnvironment(pod.podMetadata, pod.spec, related, namespace))
}

/** A container's texts; given the pod's context, also what its annotations, labels and ConfigMaps put in env and files. */
function containerTextsIn(container: V1Container, context?: PodContext) {
  if (context === undefined) return containerTexts(container)
  // Read once per review for every policy that asks; a copy, so a policy that edits its list cannot change what the next one reads.
  return context.budget.readOnce(container, () => containerTexts(container, undefined, environmentOf(context), context.budget)).slice()
}

export const policyKit: PolicyKit = Object.freeze({
  normaliseImageRef,
  compileUpstreamResolver,
  hostPaths: { compile: compileHostPathRules },
  tokenMatcher,
  isWindowsPod,
  intel: Object.freeze({ citation }),
  installers: Object.freeze({ compile: compileInstallerFinder }),
  packages: Object.freeze({ installs: packageInstalls, compileIndex: compilePackageIndex, describe: describeInstall }),
  quantity: Object.freeze({ parse: parseQuantity, compare: compareQuantities, format: formatQuantity, isValid: isQuantity }),
  signals: Object.freeze({
    compileScanner: compileSignalScanner,
    checkScoring,
    compileGrammar,
    violations: signalViolations,
    containerTexts: containerTextsIn,
    // Given the policy's context, a line of several items is built once per review, whichever policy asks first.
    commandLines,
    readCommandLines,
    decodedTexts: (texts: readonly FieldText[], context: { budget: ReviewBudget }) => decodedTexts(texts, context.budget),
    envCommandLine,
    markDataContext,
    containerPorts,
    minerConfigSigns,
  }),
})
