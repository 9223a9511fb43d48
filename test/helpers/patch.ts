// Applies returned patches with a strict RFC 6902 implementation and checks what they did.
import jsonPatch from 'fast-json-patch'
import { compareQuantities, parseQuantity } from '../../src/workloads/quantity.ts'

export function decodePatch(base64: unknown): jsonPatch.Operation[] {
  return JSON.parse(Buffer.from(String(base64), 'base64').toString()) as jsonPatch.Operation[]
}

/** Throws on `add` under a missing parent, an unresolvable path or a bad index (validate = true). */
export function applyStrict<T>(document: T, patch: jsonPatch.Operation[]): T {
  return jsonPatch.applyPatch(document, patch, true, false).newDocument
}

/** Every value in `original` is still in `patched`; arrays may only grow at their end. */
export function preservedPaths(original: unknown, patched: unknown, path = ''): string[] {
  if (Array.isArray(original)) {
    if (!Array.isArray(patched) || patched.length < original.length) return [path]
    return original.flatMap((item, index) => preservedPaths(item, patched[index], `${path}/${index}`))
  }
  if (typeof original === 'object' && original !== null) {
    if (typeof patched !== 'object' || patched === null) return [path]
    return Object.entries(original).flatMap(([key, value]) => preservedPaths(value, (patched as Record<string, unknown>)[key], `${path}/${key}`))
  }
  return original === patched ? [] : [path]
}

interface Resources {
  requests?: Record<string, string>
  limits?: Record<string, string>
}

/** The API server's rule: a limit is never below its request. */
export function limitsBelowRequests(containers: { name: string; resources?: Resources }[]): string[] {
  const problems: string[] = []
  for (const container of containers) {
    for (const [resource, request] of Object.entries(container.resources?.requests ?? {})) {
      const limit = container.resources?.limits?.[resource]
      if (limit === undefined) continue
      const [r, l] = [parseQuantity(request), parseQuantity(limit)]
      if (r === undefined || l === undefined || compareQuantities(l, r) < 0) problems.push(`${container.name} ${resource}: limit ${limit} < request ${request}`)
    }
  }
  return problems
}
