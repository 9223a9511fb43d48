// Helpers handed to TypeScript policies at load, so policy files need no runtime imports. The
// shape is the public `PolicyKit` of src/policy/api.ts; frozen, so one policy cannot change
// what another receives.

import { type PodEnvironment, podEnvironment } from '../detect/container-sources.ts'
import { commandLines, containerPorts, containerTexts } from '../detect/container-text.ts'
import { markDataContext } from '../detect/data-context.ts'
import { compileHostPathRules } from '../detect/host-paths.ts'
import { normaliseImageRef } from '../detect/image-ref.ts'
import { compileUpstreamResolver } from '../detect/image-upstream.ts'
import { compileInstallerFinder } from '../detect/installer-urls.ts'
import { compilePackageIndex, describeInstall } from '../detect/malicious-packages.ts'
import { minerConfigSigns } from '../detect/miner-config.ts'
import { compileGrammar, envCommandLine } from '../detect/miner-grammar.ts'
import { packageInstalls } from '../detect/package-installs.ts'
import { checkScoring, compileSignalScanner, signalViolations } from '../detect/signals.ts'
import { tokenMatcher } from '../detect/token-matcher.ts'
import type { PodContext } from '../engine/types.ts'
import { citation } from '../intel/types.ts'
import type { V1Container } from '../workloads/kubernetes.ts'
import { isWindowsPod } from '../workloads/pod-os.ts'
import { compareQuantities, formatQuantity, isQuantity, parseQuantity } from '../workloads/quantity.ts'
import type { PolicyKit } from './api.ts'

export type { PolicyKit }

interface ReadTexts {
  budget: PodContext['budget']
  pod: PodContext['pod']
  texts: ReturnType<typeof containerTexts>
}
// One review reads a container's texts once for every policy that asks (the budget is the
// review's own object, so nothing is reused across reviews); the pod's environment once per pod.
const readTexts = new WeakMap<V1Container, ReadTexts>()
const environments = new WeakMap<PodContext['pod'], { related: PodContext['related']; namespace: string | undefined; environment: PodEnvironment }>()

function environmentOf({ pod, related, namespace }: PodContext): PodEnvironment {
  const known = environments.get(pod)
  if (known !== undefined && known.related === related && known.namespace === namespace) return known.environment
  const environment = podEnvironment(pod.podMetadata, pod.spec, related, namespace)
  environments.set(pod, { related, namespace, environment })
  return environment
}

/** A container's texts; given the pod's context, also what its annotations, labels and ConfigMaps put in env and files. */
function containerTextsIn(container: V1Container, context?: PodContext) {
  if (context === undefined) return containerTexts(container)
  const known = readTexts.get(container)
  // A copy: a policy that edits its list cannot change what the next one reads.
  if (known !== undefined && known.budget === context.budget && known.pod === context.pod) return known.texts.slice()
  const texts = containerTexts(container, undefined, environmentOf(context))
  readTexts.set(container, { budget: context.budget, pod: context.pod, texts })
  return texts.slice()
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
    commandLines,
    envCommandLine,
    markDataContext,
    containerPorts,
    minerConfigSigns,
  }),
})
