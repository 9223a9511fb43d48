// Every error a user can cause has a code and says what to fix (fastify's lib/errors.js pattern).
// Each code has a line in docs/errors.md; test/errors.test.ts keeps the two in step.
import createError from '@fastify/error'

// Answers, not crashes: these are returned as values, so no stack trace is captured for them.
const NO_STACK = false

export const ReviewInvalidError = createError<'JACKSTOP_ERR_REVIEW_INVALID', 400, [string]>(
  'JACKSTOP_ERR_REVIEW_INVALID',
  'AdmissionReview is invalid: %s',
  400,
  Error,
  NO_STACK,
)

/** The webhook configuration sends a kind jackstop does not review (its rules are wrong). */
export const KindNotReviewedError = createError<'JACKSTOP_ERR_KIND_NOT_REVIEWED', 400, [string, string]>(
  'JACKSTOP_ERR_KIND_NOT_REVIEWED',
  'jackstop reviews %s; got %s: check the rules of the webhook configuration',
  400,
  Error,
  NO_STACK,
)

/**
 * The object cannot be a valid object of the kind the API server says it is: refused (fail
 * closed), because a policy cannot judge what it cannot read.
 */
export const ObjectMalformedError = createError<'JACKSTOP_ERR_OBJECT_MALFORMED', 400, [string, string]>(
  'JACKSTOP_ERR_OBJECT_MALFORMED',
  '%s; this cannot be a valid %s, so it is refused unreviewed',
  400,
  Error,
  NO_STACK,
)

/** A bug in jackstop (not in a policy) while reviewing: the request is refused, never admitted. */
export const ReviewFailedError = createError<'JACKSTOP_ERR_REVIEW_FAILED', 500, []>(
  'JACKSTOP_ERR_REVIEW_FAILED',
  'jackstop could not review this request and refuses it (fail closed); see the jackstop log',
  500,
  Error,
  NO_STACK,
)

export const RouteNotFoundError = createError<'JACKSTOP_ERR_NOT_FOUND', 404, [string, string]>(
  'JACKSTOP_ERR_NOT_FOUND',
  '%s %s is not served; POST /validate or /mutate',
  404,
  Error,
  NO_STACK,
)

/** Any unexpected failure outside a review: the body says only this, the log has the stack. */
export const InternalError = createError<'JACKSTOP_ERR_INTERNAL', 500, []>(
  'JACKSTOP_ERR_INTERNAL',
  'internal error; see the jackstop log',
  500,
  Error,
  NO_STACK,
)

/** One line per broken file: `policies/privileged.yaml: /action must be one of deny, warn, audit`. */
export const PolicyLoadError = createError<'JACKSTOP_ERR_POLICY_LOAD', 500, [string]>('JACKSTOP_ERR_POLICY_LOAD', '%s', 500)

export const CertificateError = createError<'JACKSTOP_ERR_CERT', 500, [string]>('JACKSTOP_ERR_CERT', 'TLS certificate problem: %s', 500)

export const UsageError = createError<'JACKSTOP_ERR_USAGE', 400, [string]>('JACKSTOP_ERR_USAGE', '%s', 400)

/** What every error answer carries: a code to search docs/errors.md for, a message saying what to fix. */
export type JackstopError = Error & { code: string; statusCode: number }
/** A feed or list that `jackstop intel import|update` cannot read: `feeds.txt: not an OSV record; give --kind for a plain list`. */
export const IntelImportError = createError<'JACKSTOP_ERR_INTEL_IMPORT', 400, [string]>('JACKSTOP_ERR_INTEL_IMPORT', '%s', 400)
/** `jackstop undo` on an object jackstop did not change, or with a reference it cannot read. */
export const UndoError = createError<'JACKSTOP_ERR_UNDO', 400, [string]>('JACKSTOP_ERR_UNDO', 'cannot undo: %s', 400)

/** `jackstop watch` flags that do not make sense together or cannot be parsed. */
export const WatchOptionError = createError<'JACKSTOP_ERR_WATCH_OPTION', 400, [string]>('JACKSTOP_ERR_WATCH_OPTION', '%s', 400)

/** An object past the review budget or the `$(VAR)` expansion cap: the engine refuses it (docs/review-budget.md). */
export const UnreviewableError = createError<'JACKSTOP_ERR_UNREVIEWABLE', 422, [string]>('JACKSTOP_ERR_UNREVIEWABLE', '%s', 422)
