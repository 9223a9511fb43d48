// Patches are derived from two versions of the object, never written by hand
// (controller-runtime's PatchResponseFromRaw). fast-json-patch escapes `/` and `~` in keys
// (RFC 6901) and adds a missing parent as a whole object, so the patch applies to the original.
import jsonPatch from 'fast-json-patch'
import type { JsonPatchOperation } from './types.ts'

/** RFC 6902 operations that turn `original` into `draft`; `prefix` is the JSON pointer of both. */
export function deriveJsonPatch(original: unknown, draft: unknown, prefix: string): JsonPatchOperation[] {
  const operations = jsonPatch.compare(original as object, draft as object) as JsonPatchOperation[]
  return operations.map((operation) => ({ ...operation, path: prefix + operation.path }))
}

/** `['spec', 'template']` -> `/spec/template`, escaped per RFC 6901. */
export function jsonPointer(keys: readonly string[]): string {
  return keys.map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}
