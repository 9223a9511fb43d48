// One work queue, as controller-runtime has: a key waits at most once however many events name
// it, one worker takes keys in turn, and a failed key comes back after a growing delay.

export interface WorkQueueOptions {
  retryBaseMs: number
  retryMaxMs: number
  /** After a key is done: how long it waited since its first event (informer lag). */
  done(key: string, waitedMs: number): void
  failed(key: string, error: unknown, retryInMs: number): void
}

export class WorkQueue {
  private readonly pending = new Map<string, number>()
  private readonly failures = new Map<string, number>()
  private readonly retries = new Set<NodeJS.Timeout>()
  private readonly work: (key: string) => Promise<void>
  private readonly options: WorkQueueOptions
  private draining: Promise<void> | undefined
  private stopped = false

  constructor(work: (key: string) => Promise<void>, options: WorkQueueOptions) {
    this.work = work
    this.options = options
  }

  add(key: string): void {
    if (this.stopped) return
    if (!this.pending.has(key)) this.pending.set(key, Date.now())
    this.draining ??= this.drain()
  }

  get length(): number {
    return this.pending.size
  }

  /** Resolves once nothing waits and nothing runs (retries scheduled for later do not count). */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.pending.clear()
    for (const timer of this.retries) clearTimeout(timer)
    await this.idle()
  }

  private async drain(): Promise<void> {
    // Let the events of one burst collapse onto their keys before the first one runs.
    await new Promise((resolve) => setImmediate(resolve))
    for (const [key, since] of this.pending) {
      this.pending.delete(key)
      try {
        await this.work(key)
        this.failures.delete(key)
        this.options.done(key, Date.now() - since)
      } catch (error) {
        const attempts = (this.failures.get(key) ?? 0) + 1
        this.failures.set(key, attempts)
        const delay = Math.min(this.options.retryBaseMs * 2 ** (attempts - 1), this.options.retryMaxMs)
        this.options.failed(key, error, delay)
        const timer = setTimeout(() => {
          this.retries.delete(timer)
          this.add(key)
        }, delay)
        timer.unref()
        this.retries.add(timer)
      }
    }
    this.draining = undefined
  }
}
