// One admission review from a decoded request to its answer: the handler of the webhook door.
// It answers, it does not throw; transport and logging stay in the server.
import { isDeepStrictEqual } from 'node:util'
import { evaluate, type MutationScope } from '../engine/evaluate.ts'
import type { Decision, Finding, PolicySet, Requester } from '../engine/types.ts'
import { ObjectMalformedError } from '../errors.ts'
import { isRecord, type KubeObject } from '../workloads/kubernetes.ts'
import { type ContainerSubject, podSpecsOf } from '../workloads/pod-specs.ts'
import { objectShapeProblem } from './object-shape.ts'
import { describeRequester, requesterOf } from './requester.ts'
import { admissionResponse } from './response.ts'
import type { AdmissionRequest, AdmissionResponse } from './types.ts'

export type ReviewPhase = 'validate' | 'mutate'

export interface ReviewOptions {
  phase: ReviewPhase
  auditOnly: boolean
  /** Characters the scanners may read (`--review-budget`); default REVIEW_BUDGET_CHARACTERS. */
  reviewBudget?: number | undefined
}

/** The structured line a door logs for a review: never the object itself, which may hold secrets. */
export interface DecisionRecord {
  uid: string
  phase: ReviewPhase
  operation: string
  kind: string
  subResource: string | undefined
  namespace: string | undefined
  name: string | undefined
  user: string | undefined
  /** Who asked, as identity-aware policies saw it (groups, service account, a controller acting for someone). */
  requester: { username: string; groups: readonly string[]; serviceAccount: string | undefined; viaController: boolean } | undefined
  dryRun: boolean
  auditOnly: boolean
  allowed: boolean
  findings: { policy: string; action: string; path: string; message: string }[]
  patch: Decision['patch']
}

export interface ReviewOutcome {
  response: AdmissionResponse
  decision: Decision
  record: DecisionRecord
}

/** The name for messages; a malformed object's metadata is only read where it holds strings. */
function objectName(request: AdmissionRequest): string | undefined {
  if (request.name) return request.name
  const metadata: unknown = request.object?.metadata ?? request.oldObject?.metadata
  if (!isRecord(metadata)) return undefined
  if (typeof metadata.name === 'string') return metadata.name
  return typeof metadata.generateName === 'string' ? `${metadata.generateName}*` : undefined
}

/** The content policies judge: what an update must change before old findings are held against it. */
function judgedContent(object: KubeObject): unknown {
  if (object.kind === 'ConfigMap') return [object.data, object.binaryData]
  return podSpecsOf(object).map((pod) => pod.spec)
}

/**
 * Pod Security Admission's rule for updates: when the spec is unchanged (`kubectl label`,
 * `kubectl annotate`, scaling), findings the old object already had do not refuse the update.
 */
function softenUnchangedUpdate(request: AdmissionRequest, findings: Finding[]): Finding[] {
  const { object, oldObject } = request
  if (request.operation !== 'UPDATE' || object == null || oldObject == null) return findings
  const kind = request.kind.kind
  if (!isDeepStrictEqual(judgedContent(asKind(object, kind)), judgedContent(asKind(oldObject, kind)))) return findings
  return findings.map((finding) =>
    finding.action === 'deny' ? { ...finding, action: 'warn', message: `${finding.message} [unchanged by this update, admitted]` } : finding,
  )
}

/** A new pod: the pod and every container but ephemeral ones (which a new pod cannot have yet). */
const NEW_POD: MutationScope = { pod: true, container: (container: ContainerSubject) => container.list !== 'ephemeralContainers' }

/** Pods are mutated when created; afterwards only new ephemeral containers (kubectl debug) may change. */
function mutationScope(request: AdmissionRequest): MutationScope | undefined {
  if (request.kind.kind !== 'Pod') return undefined
  if (request.operation === 'CREATE' && !request.subResource) return NEW_POD
  if (request.operation === 'UPDATE' && request.subResource === 'ephemeralcontainers') {
    const existing = new Set(
      (request.oldObject?.spec as { ephemeralContainers?: { name?: string }[] } | undefined)?.ephemeralContainers?.map((container) => container.name),
    )
    return { pod: false, container: (container: ContainerSubject) => container.list === 'ephemeralContainers' && !existing.has(container.name) }
  }
  return undefined
}

/** The id malformed-object refusals carry in findings, logs and metrics. */
export const OBJECT_SHAPE_CHECK = 'object-shape'

/** Policies find pod specs by kind: the kind is the API server's (request.kind), not the object's claim. */
function asKind(object: KubeObject, kind: string): KubeObject {
  return object.kind === kind ? object : { ...object, kind }
}

/** A refusal for an object no policy can judge: both phases refuse it, so neither admits it unchecked. */
function malformedObject(request: AdmissionRequest): Decision | undefined {
  const kind = request.kind.kind
  const checked: [string, unknown][] = [['', request.object]]
  if (request.operation === 'UPDATE' && request.oldObject != null) checked.push(['oldObject.', request.oldObject])
  for (const [prefix, object] of checked) {
    const problem = objectShapeProblem(kind, object)
    if (problem === undefined) continue
    const error = new ObjectMalformedError(`${prefix}${problem.message}`, kind)
    const finding: Finding = {
      policy: OBJECT_SHAPE_CHECK,
      action: 'deny',
      severity: 'critical',
      path: `${prefix}${problem.path}`,
      message: `${error.message} (${error.code})`,
    }
    return { findings: [finding], patch: [], mutations: [] }
  }
  return undefined
}

function decide(
  request: AdmissionRequest,
  policySet: PolicySet,
  phase: ReviewPhase,
  reviewBudget: number | undefined,
  requester: Requester | undefined,
): Decision {
  // DELETE and CONNECT cannot start a miner: admitted untouched.
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return { findings: [], patch: [], mutations: [] }
  const malformed = malformedObject(request)
  if (malformed !== undefined) return malformed
  const object = asKind(request.object as KubeObject, request.kind.kind)
  if (phase === 'validate') {
    const decision = evaluate({ object, namespace: request.namespace, reviewBudget, requester }, policySet)
    decision.findings = softenUnchangedUpdate(request, decision.findings)
    return decision
  }
  const mutation = mutationScope(request)
  if (mutation === undefined) return { findings: [], patch: [], mutations: [] }
  return evaluate({ object, namespace: request.namespace, validate: false, mutation, reviewBudget }, policySet)
}

export function reviewAdmission(request: AdmissionRequest, policySet: PolicySet, options: ReviewOptions): ReviewOutcome {
  const kind = request.kind.kind
  const requester = requesterOf(request.userInfo)
  const decision = decide(request, policySet, options.phase, options.reviewBudget, requester)
  const name = objectName(request)
  const subject = `${kind} ${request.namespace ? `${request.namespace}/` : ''}${name ?? ''}`
  const response = admissionResponse({
    uid: request.uid,
    decision,
    auditOnly: options.auditOnly,
    subject,
    requester: requester === undefined ? undefined : describeRequester(requester),
  })
  const record: DecisionRecord = {
    uid: request.uid,
    phase: options.phase,
    operation: request.operation,
    kind,
    subResource: request.subResource,
    namespace: request.namespace,
    name,
    user: request.userInfo?.username,
    requester,
    dryRun: request.dryRun === true,
    auditOnly: options.auditOnly,
    allowed: response.allowed,
    findings: decision.findings.map(({ policy, action, path, message }) => ({ policy, action, path, message })),
    patch: decision.patch,
  }
  return { response, decision, record }
}
