// Where values live in a JSON-shaped object, for tests that corrupt objects at random places.

export type Path = (string | number)[]

/** Every place in `value` a value lives (list indexes as numbers), parents before their children. */
export function pathsOf(value: unknown, prefix: Path = [], into: Path[] = []): Path[] {
  if (typeof value !== 'object' || value === null) return into
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key]
    into.push(path)
    pathsOf(child, path, into)
  }
  return into
}
