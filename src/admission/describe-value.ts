// Names a JSON value for an error message without ever calling its own toString or valueOf:
// `{"toString": 1}` arrives from an attacker, and String() on it throws (a 500 instead of a 4xx).

const QUOTED_LENGTH = 64

export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** `"Deployment"`, `7`, `null`, `an object`, `an array`: short, and safe on anything JSON.parse returns. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > QUOTED_LENGTH ? `${value.slice(0, QUOTED_LENGTH)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value)
  if (value === undefined) return 'nothing'
  const type = jsonTypeOf(value)
  return type === 'null' ? 'null' : `an ${type}`
}
