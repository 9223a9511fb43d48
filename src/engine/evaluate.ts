// The engine: objects in, decision out. No transport, no file system, no logging: the doors
// (server, check, scan) do I/O around it, which keeps it fast and the three doors in agreement.
import { normaliseImageRef } from '../detect/image-ref.ts'
import { ReviewBudget, UnreviewableError } from '../detect/review-budget.ts'
import { configMapOf } from '../workloads/config-maps.ts'
import type { KubeObject, V1Container, V1PodSpec } from '../workloads/kubernetes.ts'
import { type ContainerSubject, containersOf, type PodSpecSubject, podSpecsOf } from '../workloads/pod-specs.ts'
import { createDraft } from './draft.ts'
import { deriveJsonPatch, jsonPointer } from './patch.ts'
import type { Action, Check, Decision, Finding, Policy, PolicySet, Requester, Violation } from './types.ts'

/** Which parts of a pod the door allows mutators to change. */
export interface MutationScope {
  /** Pod-level mutators run (a new Pod). */
  pod: boolean
  /** Container mutators run on this container. Ephemeral containers only ever keep securityContext edits. */
  container(container: ContainerSubject): boolean
}

export interface EvaluationInput {
  object: KubeObject
  /** The request's namespace; objects from files may carry their own. */
  namespace?: string | undefined
  /** Run validation policies (default true). */
  validate?: boolean
  /** Other objects of the same review (`jackstop check` reads several documents): the ConfigMaps a pod mounts. */
  related?: readonly KubeObject[] | undefined
  /** Run mutation policies within this scope; absent: no mutation. */
  mutation?: MutationScope | undefined
  /** Characters the scanners may read (`--review-budget`); default REVIEW_BUDGET_CHARACTERS. */
  reviewBudget?: number | undefined
  /** Who asks (the webhook door); absent for files and scans. */
  requester?: Requester | undefined
}

function isExemptNamespace(policy: Policy, namespace: string | undefined): boolean {
  return namespace !== undefined && policy.exempt.namespaces.has(namespace)
}

function isExemptPod(policy: Policy, namespace: string | undefined, spec: V1PodSpec): boolean {
  if (isExemptNamespace(policy, namespace)) return true
  if (policy.exempt.serviceAccounts.size === 0) return false
  return policy.exempt.serviceAccounts.has(`${namespace ?? 'default'}:${spec.serviceAccountName ?? 'default'}`)
}

function isExemptImage(policy: Policy, container: V1Container): boolean {
  const { images } = policy.exempt
  if (images === undefined || typeof container.image !== 'string') return false
  const ref = normaliseImageRef(container.image)
  const candidates = [
    ref.name,
    ref.tag === undefined ? undefined : `${ref.name}:${ref.tag}`,
    ref.digest === undefined ? undefined : `${ref.name}@${ref.digest}`,
  ]
  return candidates.some((candidate) => candidate !== undefined && images.test(candidate))
}

const STRENGTH: Record<Action, number> = { audit: 0, warn: 1, deny: 2 }

/** The weaker of the policy's action and the violation's own. */
function actionOf(policy: Policy, violation: Violation): Action {
  return violation.action !== undefined && STRENGTH[violation.action] < STRENGTH[policy.action] ? violation.action : policy.action
}

function containerFinding(policy: Policy, container: ContainerSubject, violation: Violation): Finding {
  return {
    policy: policy.id,
    action: actionOf(policy, violation),
    severity: policy.severity,
    path: violation.field === undefined ? container.path : `${container.path}.${violation.field}`,
    message: `${container.path} "${container.name}": ${violation.message} (${policy.id})`,
  }
}

function objectFinding(policy: Policy, basePath: string, violation: Violation): Finding {
  const { field, message } = violation
  const path = field === undefined ? basePath : basePath === '' ? field : `${basePath}.${field}`
  // A message that starts with its field is given the field's full path: `spec.hostPID: ...`.
  const located =
    field !== undefined && message.startsWith(`${field}: `) ? `${path}${message.slice(field.length)}` : basePath === '' ? message : `${basePath}: ${message}`
  return { policy: policy.id, action: actionOf(policy, violation), severity: policy.severity, path, message: `${located} (${policy.id})` }
}

/**
 * A policy that throws is a finding against the request with the policy's own action: a deny
 * policy fails closed, an audit or warn policy cannot refuse what it would only have reported.
 */
function failureFinding(policy: Policy, path: string, error: unknown): Finding {
  // Past the budget or the expansion cap the object is refused as unreviewable, whatever the policy's action.
  if (error instanceof UnreviewableError) {
    return { policy: policy.id, action: 'deny', severity: 'critical', path, message: `${path || 'object'}: ${error.message} (${policy.id})` }
  }
  const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : 'a non-Error value was thrown'
  const outcome = policy.action === 'deny' ? 'the request is refused rather than admitted unchecked' : `its action is ${policy.action}, so it is only reported`
  return {
    policy: policy.id,
    action: policy.action,
    severity: 'critical',
    path,
    message: `policy ${policy.id} failed on ${path || 'the object'} and ${outcome}: ${reason}`,
  }
}

function validatePod(
  policies: readonly Policy[],
  pod: PodSpecSubject,
  namespace: string | undefined,
  requester: Requester | undefined,
  budget: ReviewBudget,
  findings: Finding[],
  related?: readonly KubeObject[],
): void {
  // One context per container, shared by every policy: policies read it, none keeps or changes it.
  const podContext = { namespace, pod, requester, budget, related }
  const containers = containersOf(pod).map((container) => ({ ...podContext, container }))
  for (const policy of policies) {
    const { check } = policy
    if (check.mode !== 'validate' || check.target === 'configmap') continue
    if (isExemptPod(policy, namespace, pod.spec)) continue
    if (check.target === 'pod') {
      try {
        for (const violation of check.run(pod.spec, podContext)) findings.push(objectFinding(policy, pod.path, violation))
      } catch (error) {
        findings.push(failureFinding(policy, pod.path, error))
      }
      continue
    }
    for (const context of containers) {
      const { container } = context
      if (isExemptImage(policy, container.container)) continue
      try {
        for (const violation of check.run(container.container, context)) findings.push(containerFinding(policy, container, violation))
      } catch (error) {
        findings.push(failureFinding(policy, container.path, error))
      }
    }
  }
}

/** Records what a mutator says it edited at `path`. */
function recordEdits(policy: Policy, path: string, decision: Decision, edits: readonly string[]): void {
  for (const description of edits) decision.mutations.push({ policy: policy.id, path, description })
}

// The API server forbids resources (and most else) on ephemeral containers: keep only securityContext edits.
const onlySecurityContext = (key: string) => key === 'securityContext'

function mutateContainer(
  mutators: readonly Policy[],
  subject: ContainerSubject,
  pod: PodSpecSubject,
  namespace: string | undefined,
  budget: ReviewBudget,
  decision: Decision,
): V1Container {
  const { draft, result } = createDraft(subject.container)
  const container: ContainerSubject = { ...subject, container: draft }
  const context = { namespace, pod, container, budget }
  for (const policy of mutators) {
    if (isExemptImage(policy, subject.container)) continue
    const check = policy.check as Extract<Check, { mode: 'mutate'; target: 'container' }>
    try {
      recordEdits(policy, subject.path, decision, check.run(draft, context))
    } catch (error) {
      decision.findings.push(failureFinding(policy, subject.path, error))
    }
  }
  return result(subject.list === 'ephemeralContainers' ? onlySecurityContext : undefined)
}

/**
 * Pod-level mutators edit a draft of the spec, then container mutators a draft of each
 * container in scope. Drafts share what was not touched, so the one derived patch costs what
 * the mutators touched, not the size of the pod.
 */
function mutatePod(
  policies: readonly Policy[],
  pod: PodSpecSubject,
  namespace: string | undefined,
  scope: MutationScope,
  budget: ReviewBudget,
  decision: Decision,
): void {
  const applicable = policies.filter((policy) => policy.check.mode === 'mutate' && !isExemptPod(policy, namespace, pod.spec))
  const podMutators = scope.pod ? applicable.filter((policy) => policy.check.target === 'pod') : []
  const containerMutators = applicable.filter((policy) => policy.check.target === 'container')
  if (podMutators.length === 0 && containerMutators.length === 0) return
  let spec = pod.spec
  if (podMutators.length > 0) {
    const { draft, result } = createDraft(pod.spec)
    const draftPod: PodSpecSubject = { ...pod, spec: draft }
    const context = { namespace, pod: draftPod, budget }
    for (const policy of podMutators) {
      const check = policy.check as Extract<Check, { mode: 'mutate'; target: 'pod' }>
      try {
        recordEdits(policy, pod.path, decision, check.run(draft, context))
      } catch (error) {
        decision.findings.push(failureFinding(policy, pod.path, error))
      }
    }
    spec = result()
  }
  const edited: PodSpecSubject = { ...pod, spec: { ...spec } }
  const editedSpec = edited.spec as unknown as Record<string, V1Container[]>
  // Each list is copied once, when its first container is mutated, not once per container.
  let copied: ContainerSubject['list'] | undefined
  for (const subject of containersOf(edited)) {
    if (!scope.container(subject)) continue
    if (copied !== subject.list) editedSpec[subject.list] = [...(editedSpec[subject.list] as V1Container[])]
    copied = subject.list
    ;(editedSpec[subject.list] as V1Container[])[subject.index] = mutateContainer(containerMutators, subject, edited, namespace, budget, decision)
  }
  decision.patch.push(...deriveJsonPatch(pod.spec, edited.spec, jsonPointer(pod.pointer)))
}

export function evaluate(input: EvaluationInput, policySet: PolicySet): Decision {
  const decision: Decision = { findings: [], patch: [], mutations: [] }
  const { object } = input
  const namespace = input.namespace ?? object.metadata?.namespace
  const { policies } = policySet
  const validate = input.validate ?? true
  const budget = new ReviewBudget(input.reviewBudget)
  for (const pod of podSpecsOf(object)) {
    if (validate) validatePod(policies, pod, namespace, input.requester, budget, decision.findings, input.related)
    if (input.mutation !== undefined && !pod.isTemplate) mutatePod(policies, pod, namespace, input.mutation, budget, decision)
  }
  const configMap = configMapOf(object)
  if (configMap !== undefined && validate) {
    for (const policy of policies) {
      const { check } = policy
      if (check.mode !== 'validate' || check.target !== 'configmap' || isExemptNamespace(policy, namespace)) continue
      try {
        for (const violation of check.run(configMap.configMap, { namespace, configMap, requester: input.requester, budget })) {
          decision.findings.push(objectFinding(policy, '', violation))
        }
      } catch (error) {
        decision.findings.push(failureFinding(policy, '', error))
      }
    }
  }
  return decision
}
