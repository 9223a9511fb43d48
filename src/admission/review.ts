// One admission review from request to response: the handler of the webhook door. It answers,
// it does not throw; transport and logging stay in the server.
import { isDeepStrictEqual } from 'node:util'
import { evaluate, type MutationScope } from '../engine/evaluate.ts'
import type { Decision, Finding, PolicySet } from '../engine/types.ts'
import { ReviewInvalidError } from '../errors.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { type ContainerSubject, podSpecsOf } from '../workloads/pod-specs.ts'
import { describeRequester, requesterOf } from './requester.ts'
import { admissionResponse } from './response.ts'
import { REVIEWED_KINDS } from './supported-kinds.ts'
import type { AdmissionRequest, AdmissionResponse } from './types.ts'

export type ReviewPhase = 'validate' | 'mutate'

export interface ReviewOptions {
  phase: ReviewPhase
  auditOnly: boolean
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

function objectName(request: AdmissionRequest): string | undefined {
  const metadata = request.object?.metadata ?? request.oldObject?.metadata
  if (request.name) return request.name
  return metadata?.name ?? (metadata?.generateName === undefined ? undefined : `${metadata.generateName}*`)
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
  if (!isDeepStrictEqual(judgedContent(object), judgedContent(oldObject))) return findings
  return findings.map((finding) =>
    finding.action === 'deny' ? { ...finding, action: 'warn', message: `${finding.message} [unchanged by this update, admitted]` } : finding,
  )
}

/** Pods are mutated when created; afterwards only new ephemeral containers (kubectl debug) may change. */
function mutationScope(request: AdmissionRequest): MutationScope | undefined {
  if (request.kind.kind !== 'Pod') return undefined
  if (request.operation === 'CREATE' && !request.subResource) {
    return { pod: true, container: (container: ContainerSubject) => container.list !== 'ephemeralContainers' }
  }
  if (request.operation === 'UPDATE' && request.subResource === 'ephemeralcontainers') {
    const existing = new Set(
      (request.oldObject?.spec as { ephemeralContainers?: { name?: string }[] } | undefined)?.ephemeralContainers?.map((container) => container.name),
    )
    return { pod: false, container: (container: ContainerSubject) => container.list === 'ephemeralContainers' && !existing.has(container.name) }
  }
  return undefined
}

export function reviewAdmission(request: AdmissionRequest, policySet: PolicySet, options: ReviewOptions): ReviewOutcome {
  const kind = request.kind.kind
  if (!REVIEWED_KINDS.has(kind)) {
    throw new ReviewInvalidError(`jackstop reviews ${[...REVIEWED_KINDS].join(', ')}; got ${kind}: check the rules of the webhook configuration`)
  }
  let decision: Decision = { findings: [], patch: [], mutations: [] }
  const requester = requesterOf(request.userInfo)
  // DELETE and CONNECT cannot start a miner: admitted untouched.
  if (request.operation === 'CREATE' || request.operation === 'UPDATE') {
    const object = request.object as KubeObject
    if (options.phase === 'validate') {
      decision = evaluate({ object, namespace: request.namespace, requester }, policySet)
      decision.findings = softenUnchangedUpdate(request, decision.findings)
    } else {
      const mutation = mutationScope(request)
      if (mutation !== undefined) decision = evaluate({ object, namespace: request.namespace, validate: false, mutation }, policySet)
    }
  }
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
