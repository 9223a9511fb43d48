// Turns an engine decision into the AdmissionResponse the API server reads
// (controller-runtime's response.go: allowed, denied, patched, with warnings).
import type { Decision, Finding, JsonPatchOperation, Mutation } from '../engine/types.ts'
import type { AdmissionResponse } from './types.ts'

// The API server may truncate a warning over 256 characters and drops warnings past 4096 in total.
const WARNING_LENGTH = 256
const WARNINGS_TOTAL = 4000

export function shortWarning(text: string): string {
  return text.length <= WARNING_LENGTH ? text : `${text.slice(0, WARNING_LENGTH - 1)}…`
}

function boundedWarnings(texts: string[]): string[] | undefined {
  const warnings: string[] = []
  let total = 0
  for (const text of texts.map(shortWarning)) {
    if (total + text.length > WARNINGS_TOTAL) {
      warnings.push(`…and ${texts.length - warnings.length} more; see the jackstop log`)
      break
    }
    warnings.push(text)
    total += text.length
  }
  return warnings.length === 0 ? undefined : warnings
}

/** `spec.containers[0]: a, b; spec.containers[1]: c`: each path once, in the order first edited. */
export function describeMutations(mutations: readonly Mutation[]): string {
  // The engine records a container's edits together, so one pass usually suffices.
  const paths: string[] = []
  let text = ''
  for (const { path, description } of mutations) {
    if (path === paths[paths.length - 1]) text += `, ${description}`
    else if (paths.includes(path)) return describeGrouped(mutations)
    else {
      text += paths.length === 0 ? `${path}: ${description}` : `; ${path}: ${description}`
      paths.push(path)
    }
  }
  return text
}

/** The same text when a path's edits are not all together. */
function describeGrouped(mutations: readonly Mutation[]): string {
  const byPath = new Map<string, string[]>()
  for (const mutation of mutations) {
    const descriptions = byPath.get(mutation.path)
    if (descriptions === undefined) byPath.set(mutation.path, [mutation.description])
    else descriptions.push(mutation.description)
  }
  return [...byPath].map(([path, descriptions]) => `${path}: ${descriptions.join(', ')}`).join('; ')
}

export interface ResponseInput {
  uid: string
  decision: Decision
  /** Global dry run: nothing refused, nothing patched, everything returned as warnings. */
  auditOnly: boolean
  /** What the object is, for the denial message: `Pod default/web-1`. */
  subject: string
  /** Who asked, named in the audit annotations beside the findings. */
  requester?: string | undefined
}

function auditAnnotations(
  findings: readonly Finding[],
  patch: readonly JsonPatchOperation[],
  requester: string | undefined,
): Record<string, string> | undefined {
  if (findings.length === 0 && patch.length === 0) return undefined
  const annotations: Record<string, string> = {}
  if (findings.length > 0) annotations.findings = findings.map((finding) => `${finding.policy}=${finding.action}@${finding.path}`).join(',')
  if (findings.length > 0 && requester !== undefined) annotations.requester = requester
  if (patch.length > 0) annotations.patched = String(patch.length)
  return annotations
}

export function admissionResponse({ uid, decision, auditOnly, subject, requester }: ResponseInput): AdmissionResponse {
  const { findings, patch, mutations } = decision
  const denials = findings.length === 0 ? [] : findings.filter((finding) => finding.action === 'deny')
  const warnings = findings.length === 0 ? [] : findings.filter((finding) => finding.action === 'warn').map((finding) => finding.message)
  const response: AdmissionResponse = { uid, allowed: true }
  if (auditOnly) {
    warnings.unshift(...denials.map((finding) => `[audit-only] would deny: ${finding.message}`))
    if (patch.length > 0) warnings.push(`[audit-only] would mutate ${describeMutations(mutations)}`)
  } else {
    if (denials.length > 0) {
      response.allowed = false
      response.status = { code: 403, reason: 'Forbidden', message: `jackstop refused ${subject}: ${denials.map((finding) => finding.message).join('; ')}` }
    } else if (patch.length > 0) {
      response.patchType = 'JSONPatch'
      response.patch = Buffer.from(JSON.stringify(patch)).toString('base64')
      warnings.push(`jackstop mutated ${describeMutations(mutations)}`)
    }
  }
  const bounded = boundedWarnings(warnings)
  if (bounded !== undefined) response.warnings = bounded
  const annotations = auditAnnotations(findings, patch, requester)
  if (annotations !== undefined) response.auditAnnotations = annotations
  return response
}
