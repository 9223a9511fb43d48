// Checks that a body is an AdmissionReview v1 request before any policy sees it.
// Every refusal says what is wrong, so a misconfigured webhook is quick to fix.
import { ReviewInvalidError } from '../errors.ts'
import { isRecord } from '../workloads/kubernetes.ts'
import { ADMISSION_API_VERSION, type AdmissionRequest } from './types.ts'

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'])

function requireString(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field]
  if (typeof value !== 'string' || value === '') throw new ReviewInvalidError(`${where}.${field} must be a non-empty string`)
  return value
}

export function decodeAdmissionReview(body: unknown): AdmissionRequest {
  if (!isRecord(body)) throw new ReviewInvalidError('the body must be a JSON object')
  if (body.kind !== 'AdmissionReview') throw new ReviewInvalidError(`kind must be "AdmissionReview", got ${JSON.stringify(body.kind ?? null)}`)
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    throw new ReviewInvalidError(
      `apiVersion must be "${ADMISSION_API_VERSION}", got ${JSON.stringify(body.apiVersion ?? null)}; set admissionReviewVersions: [v1] in the webhook configuration`,
    )
  }
  const request = body.request
  if (!isRecord(request)) throw new ReviewInvalidError('request must be an object')
  requireString(request, 'uid', 'request')
  const operation = requireString(request, 'operation', 'request')
  if (!OPERATIONS.has(operation)) throw new ReviewInvalidError(`request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got "${operation}"`)
  if (!isRecord(request.kind)) throw new ReviewInvalidError('request.kind must be an object with group, version and kind')
  requireString(request.kind, 'kind', 'request.kind')
  for (const field of ['namespace', 'name', 'subResource'] as const) {
    if (request[field] !== undefined && typeof request[field] !== 'string') throw new ReviewInvalidError(`request.${field} must be a string`)
  }
  if (request.dryRun !== undefined && typeof request.dryRun !== 'boolean') throw new ReviewInvalidError('request.dryRun must be a boolean')
  // DELETE carries only oldObject, CONNECT neither; every other operation must carry the object.
  if (operation === 'CREATE' || operation === 'UPDATE') {
    if (!isRecord(request.object)) throw new ReviewInvalidError(`request.object must be an object for ${operation}`)
    if (request.object.kind !== undefined && request.object.kind !== request.kind.kind) {
      throw new ReviewInvalidError(`request.object.kind "${String(request.object.kind)}" does not match request.kind.kind "${request.kind.kind}"`)
    }
  }
  if (operation === 'UPDATE' && request.oldObject !== undefined && request.oldObject !== null && !isRecord(request.oldObject)) {
    throw new ReviewInvalidError('request.oldObject must be an object')
  }
  return request as unknown as AdmissionRequest
}
