// The per-review work budget, owned by the scanners that spend it: every character a scanner
// reads (decoded payloads included) is charged before it is read. Text beyond the budget is not
// skipped, which would let a miner hide behind padding; the review is refused instead.
import { UnreviewableError } from '../errors.ts'

/**
 * Characters the scanners may read in one review. The API server accepts request bodies up to
 * 3 MiB and etcd stores objects up to 1.5 MiB; 4 MiB covers any such object's strings with its
 * base64-decoded payloads, and at the measured scan rate stays far below the webhook timeout.
 */
export const REVIEW_BUDGET_CHARACTERS = 4 * 1024 * 1024

export const BUDGET_REFUSAL = 'object too large to review within the budget; refused'

// A review that cannot be completed within its limits: the engine refuses the object.
export { UnreviewableError } from '../errors.ts'

export class ReviewBudget {
  readonly characters: number
  #spent = 0

  constructor(characters = REVIEW_BUDGET_CHARACTERS) {
    this.characters = characters
  }

  get spent(): number {
    return this.#spent
  }

  // Reads shared by the policies of this review (a container's texts, a pod's environment). A plain
  // Map owned by the review, not a module-level WeakMap: it dies with the review as young garbage,
  // where WeakMap entries for every container cost the collector ~30 µs per review.
  #reads: Map<object, unknown> | undefined

  /** What `read` returns for `key`, computed once per review. */
  readOnce<T>(key: object, read: () => T): T {
    this.#reads ??= new Map()
    if (this.#reads.has(key)) return this.#reads.get(key) as T
    const value = read()
    this.#reads.set(key, value)
    return value
  }

  /** Throws the refusal once the budget is spent, before work whose reading could not be paid for. */
  assertLeft(): void {
    if (this.#spent >= this.characters) this.charge(1)
  }

  /** Takes `characters` from the budget before they are read; throws when they do not fit. */
  charge(characters: number): void {
    if (this.#spent + characters > this.characters) {
      this.#spent = this.characters
      throw new UnreviewableError(`${BUDGET_REFUSAL} (more than ${this.characters} characters to scan; see --review-budget)`)
    }
    this.#spent += characters
  }
}
