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

/**
 * The Proxy's handler and the draft's state in one object: its traps are methods, so a draft
 * costs this object, its Proxy and (once a field is touched) one Map, not a closure per trap.
 */
class DraftState implements ProxyHandler<Record<string, unknown>> {
  private readonly base: Record<string, unknown>
  private touched: Map<string, unknown> | undefined

  constructor(base: Record<string, unknown>) {
    this.base = base
  }

  private current(key: string): unknown {
    const { touched } = this
    if (touched?.has(key)) {
      const value = touched.get(key)
      return value === DELETED ? undefined : value
    }
    const value = this.base[key]
    if (typeof value !== 'object' || value === null) return value
    const copy = cloneJson(value)
    this.write(key, copy)
    return copy
  }

  private write(key: string, value: unknown): void {
    if (this.touched === undefined) this.touched = new Map()
    this.touched.set(key, value)
  }

  private exists(key: string): boolean {
    const { touched } = this
    return touched?.has(key) ? touched.get(key) !== DELETED : Object.hasOwn(this.base, key)
  }

  get(_target: Record<string, unknown>, key: string | symbol): unknown {
    return typeof key === 'string' ? this.current(key) : undefined
  }

  set(_target: Record<string, unknown>, key: string | symbol, value: unknown): boolean {
    this.write(String(key), value)
    return true
  }

  deleteProperty(_target: Record<string, unknown>, key: string | symbol): boolean {
    this.write(String(key), DELETED)
    return true
  }

  has(_target: Record<string, unknown>, key: string | symbol): boolean {
    return typeof key === 'string' && this.exists(key)
  }

  ownKeys(): string[] {
    const keys = Object.keys(this.base)
    if (this.touched !== undefined) for (const key of this.touched.keys()) if (!Object.hasOwn(this.base, key)) keys.push(key)
    return keys.filter((key) => this.exists(key))
  }

  getOwnPropertyDescriptor(_target: Record<string, unknown>, key: string | symbol): PropertyDescriptor | undefined {
    return typeof key === 'string' && this.exists(key) ? { value: this.current(key), writable: true, enumerable: true, configurable: true } : undefined
  }

  result(keep: ((key: string) => boolean) | undefined): Record<string, unknown> {
    const { base, touched } = this
    if (touched === undefined) return { ...base }
    if (!this.deletes()) {
      // A spread copies the original's fields in its order at once; touched ones overwrite theirs in place.
      const edited: Record<string, unknown> = { ...base }
      for (const [key, value] of touched) if (keep === undefined || keep(key)) edited[key] = value
      return edited
    }
    const edited: Record<string, unknown> = {}
    for (const key of Object.keys(base)) {
      const value = touched.has(key) && (keep === undefined || keep(key)) ? touched.get(key) : base[key]
      if (value !== DELETED) edited[key] = value
    }
    for (const [key, value] of touched) if (!Object.hasOwn(base, key) && (keep === undefined || keep(key)) && value !== DELETED) edited[key] = value
    return edited
  }

  private deletes(): boolean {
    for (const value of (this.touched as Map<string, unknown>).values()) if (value === DELETED) return true
    return false
  }
}

export function createDraft<T extends object>(original: T): Draft<T> {
  const state = new DraftState(original as Record<string, unknown>)
  return {
    draft: new Proxy({} as Record<string, unknown>, state) as T,
    result: (keep) => state.result(keep) as T,
  }
}
