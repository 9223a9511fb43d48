// Every refused request gets the same JSON shape: a code to search for and what to fix.
import type { FastifyError } from 'fastify'

export interface ErrorBody {
  statusCode: number
  error: string
  message: string
}

const HINTS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send Content-Type: application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body exceeds the configured --body-limit',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty; send an AdmissionReview',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
}

export function errorBody(error: FastifyError): ErrorBody {
  const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500
  const code = error.code ?? 'JACKSTOP_ERR_INTERNAL'
  const hint = HINTS[code]
  const message = statusCode >= 500 ? 'internal error; see the jackstop log' : hint === undefined ? error.message : `${error.message}: ${hint}`
  return { statusCode, error: code, message }
}
