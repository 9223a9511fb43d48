// Compiled JSON schemas by their text: loading the same policy files again (a reload, or every CLI
// run inside one process) compiles no schema twice, and compiling is most of a load's time.
// Bounded: past `limit` schemas the cache starts over.

/** A memo of `compile` by the JSON text of the schema it compiles. Failures are not kept. */
export function schemaCache<T>(limit: number): (schema: object, compile: () => T) => T {
  const compiled = new Map<string, T>()
  return (schema, compile) => {
    const key = JSON.stringify(schema)
    const cached = compiled.get(key)
    if (cached !== undefined) return cached
    const value = compile()
    if (compiled.size >= limit) compiled.clear()
    compiled.set(key, value)
    return value
  }
}
