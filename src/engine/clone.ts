// A deep copy of decoded JSON (objects, arrays, strings, numbers, booleans, null): several
// times faster than structuredClone on the small trees a container is.
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(cloneJson) as T
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) copy[key] = cloneJson((value as Record<string, unknown>)[key])
  return copy as T
}
