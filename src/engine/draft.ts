// A copy-on-read draft of one object: a mutator sees an ordinary object, but a field is
// cloned only when the mutator touches it, and the result shares every untouched field with
// the original. The patch library skips identical references, so deriving the patch costs
// what was touched (a securityContext), not what was carried (forty env entries).
import { cloneJson } from './clone.ts'

export interface Draft<T extends object> {
  /** Hand this to the mutator; it behaves like a plain object. */
  draft: T
  /** The edited object: original fields by reference, touched ones as edited. */
  result(keep?: (key: string) => boolean): T
}

const DELETED = Symbol('deleted')

export function createDraft<T extends object>(original: T): Draft<T> {
  const base = original as Record<string, unknown>
  const touched = new Map<string, unknown>()
  const current = (key: string): unknown => {
    if (touched.has(key)) {
      const value = touched.get(key)
      return value === DELETED ? undefined : value
    }
    const value = base[key]
    if (typeof value !== 'object' || value === null) return value
    const copy = cloneJson(value)
    touched.set(key, copy)
    return copy
  }
  const exists = (key: string) => (touched.has(key) ? touched.get(key) !== DELETED : Object.hasOwn(base, key))
  const keys = () => [...new Set([...Object.keys(base), ...touched.keys()])].filter(exists)
  const draft = new Proxy({} as Record<string, unknown>, {
    get: (_target, key) => (typeof key === 'string' ? current(key) : undefined),
    set: (_target, key, value) => {
      touched.set(String(key), value)
      return true
    },
    deleteProperty: (_target, key) => {
      touched.set(String(key), DELETED)
      return true
    },
    has: (_target, key) => typeof key === 'string' && exists(key),
    ownKeys: () => keys(),
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === 'string' && exists(key) ? { value: current(key), writable: true, enumerable: true, configurable: true } : undefined,
  })
  return {
    draft: draft as T,
    result: (keep = () => true) => {
      const edited: Record<string, unknown> = {}
      for (const key of Object.keys(base)) {
        const value = touched.has(key) && keep(key) ? touched.get(key) : base[key]
        if (value !== DELETED) edited[key] = value
      }
      for (const [key, value] of touched) if (!Object.hasOwn(base, key) && keep(key) && value !== DELETED) edited[key] = value
      return edited as T
    },
  }
}
