// Patches are derived from two versions of the object, never written by hand
// (controller-runtime's PatchResponseFromRaw). The walk is fast-json-patch's `compare` (same
// operations, same order; test/engine/patch.test.ts holds it to the library on random pairs)
// without the library's deep copy of every added value: the patch is serialised once and
// never changed, so its values may share the draft's objects. A missing parent is added as a
// whole object, so the patch applies to the object exactly as the API server sent it.
import type { JsonPatchOperation } from './types.ts'

type Json = Record<string, unknown> | unknown[]

/** RFC 6901: `~` is written `~0` and `/` is written `~1` in a path segment. */
function escapeSegment(key: string): string {
  if (!key.includes('/') && !key.includes('~')) return key
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

function isContainer(value: unknown): value is Json {
  return typeof value === 'object' && value !== null
}

/** One key of `before` against the same key of `after`; paths are built only where there is an operation. */
function diffKey(oldValue: unknown, newValue: unknown, path: string, key: string, operations: JsonPatchOperation[]): void {
  if (oldValue === newValue) return
  if (isContainer(oldValue) && isContainer(newValue) && Array.isArray(oldValue) === Array.isArray(newValue)) {
    diff(oldValue, newValue, `${path}/${escapeSegment(key)}`, operations)
  } else {
    operations.push({ op: 'replace', path: `${path}/${escapeSegment(key)}`, value: newValue === undefined ? null : newValue })
  }
}

function diffLists(before: unknown[], after: unknown[], path: string, operations: JsonPatchOperation[]): void {
  // Last item first, so removing items does not shift the ones still to visit.
  for (let index = before.length - 1; index >= 0; index--) {
    if (index < after.length) diffKey(before[index], after[index], path, String(index), operations)
    else operations.push({ op: 'remove', path: `${path}/${index}` })
  }
  for (let index = before.length; index < after.length; index++) {
    if (after[index] !== undefined) operations.push({ op: 'add', path: `${path}/${index}`, value: after[index] })
  }
}

function diff(before: Json, after: Json, path: string, operations: JsonPatchOperation[]): void {
  if (Array.isArray(before)) {
    diffLists(before, after as unknown[], path, operations)
    return
  }
  const is = after as Record<string, unknown>
  const oldKeys = Object.keys(before)
  let removed = false
  for (let index = oldKeys.length - 1; index >= 0; index--) {
    const key = oldKeys[index] as string
    const oldValue = before[key]
    // Most fields are shared untouched; the original holds JSON values only, so an equal defined value is its own.
    if (oldValue === is[key] && oldValue !== undefined) continue
    // A field set to undefined is gone: JSON cannot carry it.
    if (!Object.hasOwn(after, key) || (is[key] === undefined && oldValue !== undefined)) {
      operations.push({ op: 'remove', path: `${path}/${escapeSegment(key)}` })
      removed = true
    } else diffKey(oldValue, is[key], path, key, operations)
  }
  const newKeys = Object.keys(after)
  // Without a removal, as many keys means the same keys: nothing was added.
  if (!removed && newKeys.length === oldKeys.length) return
  for (const key of newKeys) {
    if (!Object.hasOwn(before, key) && is[key] !== undefined) operations.push({ op: 'add', path: `${path}/${escapeSegment(key)}`, value: is[key] })
  }
}

/** RFC 6902 operations that turn `original` into `draft`; `prefix` is the JSON pointer of both. */
export function deriveJsonPatch(original: unknown, draft: unknown, prefix: string): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = []
  if (original === draft) return operations
  if (isContainer(original) && isContainer(draft) && Array.isArray(original) === Array.isArray(draft)) diff(original, draft, prefix, operations)
  else operations.push({ op: 'replace', path: prefix, value: draft })
  return operations
}

/** `['spec', 'template']` -> `/spec/template`, escaped per RFC 6901. */
export function jsonPointer(keys: readonly string[]): string {
  let pointer = ''
  for (const key of keys) pointer += `/${escapeSegment(key)}`
  return pointer
}
