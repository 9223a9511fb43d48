// Turns ajv's errors into one line a policy author can act on.
import type { ErrorObject } from 'ajv'

export function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${where} must be one of ${params.allowedValues.join(', ')}`
  }
  if (error.keyword === 'additionalProperties') {
    return `${where} has unknown field "${String(params.additionalProperty)}"`
  }
  /* c8 ignore next: every ajv keyword sets a message; the fallback only satisfies its types */
  return `${where} ${error.message ?? 'is invalid'}`
}

export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): string {
  /* c8 ignore next: ajv always sets errors when validation fails; the fallback only satisfies its types */
  return (errors ?? []).map(describeAjvError).join('; ')
}
