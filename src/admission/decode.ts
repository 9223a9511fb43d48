// Checks that a body is an AdmissionReview v1 request before any policy sees it. It answers with
// the request or with an error value saying what is wrong, so a misconfigured webhook is quick
// to fix; the object inside is judged later (object-shape.ts), by the review.
import { type JackstopError, KindNotReviewedError, ReviewInvalidError } from '../errors.ts'
import { isRecord } from '../workloads/kubernetes.ts'
import { describeValue } from './describe-value.ts'
import { REVIEWED_KINDS } from './supported-kinds.ts'
import { ADMISSION_API_VERSION, type AdmissionRequest } from './types.ts'

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'])
const REVIEWED_KIND_LIST = [...REVIEWED_KINDS].join(', ')
const OPTIONAL_STRINGS = ['namespace', 'name', 'subResource'] as const

export type Decoded = { request: AdmissionRequest; error?: undefined } | { request?: undefined; error: JackstopError }

const invalid = (message: string): Decoded => ({ error: new ReviewInvalidError(message) })

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

function requestProblem(request: Record<string, unknown>): Decoded | undefined {
  if (!isNonEmptyString(request.uid)) return invalid('request.uid must be a non-empty string')
  const { operation, kind } = request
  if (!isNonEmptyString(operation)) return invalid('request.operation must be a non-empty string')
  if (!OPERATIONS.has(operation)) return invalid(`request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got ${describeValue(operation)}`)
  if (!isRecord(kind)) return invalid('request.kind must be an object with group, version and kind')
  if (!isNonEmptyString(kind.kind)) return invalid('request.kind.kind must be a non-empty string')
  for (const field of OPTIONAL_STRINGS) {
    if (request[field] !== undefined && typeof request[field] !== 'string') return invalid(`request.${field} must be a string`)
  }
  if (request.dryRun !== undefined && typeof request.dryRun !== 'boolean') return invalid('request.dryRun must be a boolean')
  const { userInfo } = request
  if (userInfo !== undefined) {
    if (!isRecord(userInfo)) return invalid('request.userInfo must be an object')
    if (userInfo.username !== undefined && typeof userInfo.username !== 'string') return invalid('request.userInfo.username must be a string')
    if (userInfo.groups !== undefined && !(Array.isArray(userInfo.groups) && userInfo.groups.every((group) => typeof group === 'string'))) {
      return invalid('request.userInfo.groups must be a list of strings')
    }
  }
  // DELETE carries only oldObject, CONNECT neither; every other operation must carry the object.
  if ((operation === 'CREATE' || operation === 'UPDATE') && !isRecord(request.object)) return invalid(`request.object must be an object for ${operation}`)
  if (request.oldObject !== undefined && request.oldObject !== null && !isRecord(request.oldObject)) return invalid('request.oldObject must be an object')
  if (!REVIEWED_KINDS.has(kind.kind)) return { error: new KindNotReviewedError(REVIEWED_KIND_LIST, describeValue(kind.kind)) }
  return undefined
}

export function decodeAdmissionReview(body: unknown): Decoded {
  if (!isRecord(body)) return invalid('the body must be a JSON object')
  if (body.kind !== 'AdmissionReview') return invalid(`kind must be "AdmissionReview", got ${describeValue(body.kind ?? null)}`)
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return invalid(
      `apiVersion must be "${ADMISSION_API_VERSION}", got ${describeValue(body.apiVersion ?? null)}; set admissionReviewVersions: [v1] in the webhook configuration`,
    )
  }
  const { request } = body
  if (!isRecord(request)) return invalid('request must be an object')
  return requestProblem(request) ?? { request: request as unknown as AdmissionRequest }
}
