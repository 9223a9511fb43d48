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

/** `jackstop undo` on an object jackstop did not change, or with a reference it cannot read. */
export const UndoError = createError<'JACKSTOP_ERR_UNDO', 400, [string]>('JACKSTOP_ERR_UNDO', 'cannot undo: %s', 400)

/** `jackstop watch` flags that do not make sense together or cannot be parsed. */
export const WatchOptionError = createError<'JACKSTOP_ERR_WATCH_OPTION', 400, [string]>('JACKSTOP_ERR_WATCH_OPTION', '%s', 400)
