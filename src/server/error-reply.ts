// Every refused request gets the same JSON shape: a code to search docs/errors.md for, and what to fix.
import { InternalError } from '../errors.ts'

export interface ErrorBody {
  statusCode: number
  error: string
  message: string
}

/** What fastify's own errors (FST_ERR_...) mean for a webhook caller. */
const HINTS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send Content-Type: application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body exceeds the configured --body-limit',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty; send an AdmissionReview',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
}

const internal = new InternalError()

export function errorBody(error: { statusCode?: number | undefined; code: string; message: string }): ErrorBody {
  const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : internal.statusCode
  // A server-side failure says nothing about its cause: the log has it, the caller cannot fix it.
  if (statusCode >= 500) return { statusCode, error: internal.code, message: internal.message }
  const hint = HINTS[error.code]
  return { statusCode, error: error.code, message: hint === undefined ? error.message : `${error.message}: ${hint}` }
}
