// Every error a user can cause has a code and says what to fix (fastify's lib/errors.js pattern).
import createError from '@fastify/error'

export const ReviewInvalidError = createError<'JACKSTOP_ERR_REVIEW_INVALID', 400, [string]>(
  'JACKSTOP_ERR_REVIEW_INVALID',
  'AdmissionReview is invalid: %s',
  400,
)

/** One line per broken file: `policies/privileged.yaml: /action must be one of deny, warn, audit`. */
export const PolicyLoadError = createError<'JACKSTOP_ERR_POLICY_LOAD', 500, [string]>('JACKSTOP_ERR_POLICY_LOAD', '%s', 500)

export const CertificateError = createError<'JACKSTOP_ERR_CERT', 500, [string]>('JACKSTOP_ERR_CERT', 'TLS certificate problem: %s', 500)

export const UsageError = createError<'JACKSTOP_ERR_USAGE', 400, [string]>('JACKSTOP_ERR_USAGE', '%s', 400)

/** An object past the review budget or the `$(VAR)` expansion cap: the engine refuses it (docs/review-budget.md). */
export const UnreviewableError = createError<'JACKSTOP_ERR_UNREVIEWABLE', 422, [string]>('JACKSTOP_ERR_UNREVIEWABLE', '%s', 422)
