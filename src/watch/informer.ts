// One informer per kind (and namespace): list, then watch from the list's resourceVersion,
// keeping a cache the reconcile loop reads. The shape of client-go's reflector, on client-node's
// Watch: a watch that ends is resumed from the last resourceVersion seen, a 410 Gone (history
// compacted) relists and reports what vanished meanwhile, and a resync replays the cache.
import type { KubeObject } from '../workloads/kubernetes.ts'

export interface ListPage {
  items: unknown[]
  metadata?: { _continue?: string; resourceVersion?: string }
}

export interface InformerSource {
  kind: string
  apiVersion: string
  /** `pods in shop`, for logs. */
  label: string
  list(params: { limit: number; _continue?: string }): Promise<ListPage>
  /** The collection's path, e.g. `/api/v1/namespaces/shop/pods`. */
  watchPath: string
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'

/** The part of client-node's Watch the informer uses; tests and the controller pass the real one. */
export interface Watcher {
  watch(
    path: string,
    query: Record<string, string | number | boolean>,
    onEvent: (type: string, object: unknown) => void,
    done: (error: unknown) => void,
  ): Promise<AbortController>
}

export interface InformerHandlers {
  changed(object: KubeObject): void
  deleted(object: KubeObject): void
  /** Something went wrong and the informer will retry; for logs and metrics. */
  trouble(message: string): void
}

export interface InformerOptions {
  pageSize: number
  /** How often every cached object is handed to `changed` again (client-go's resync). */
  resyncMs: number
  /** First wait after a failed list or watch; doubled up to `maxBackoffMs`. */
  backoffMs: number
  maxBackoffMs: number
  /** Asks the API server to end each watch after this long, so connections are renewed. */
  watchTimeoutSeconds: number
}

/* c8 ignore next: the API server always sets metadata.name (and namespace on namespaced kinds) on list and watch items */
const keyOf = (object: KubeObject) => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`

/** An ERROR event or a failed watch request that means "relist": 410 Gone / Expired. */
function isGone(error: unknown): boolean {
  /* c8 ignore next: the client rejects with an Error or status object, never null or undefined */
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown }
  return code === 410 || statusCode === 410
}

export class Informer {
  readonly cache = new Map<string, KubeObject>()
  synced = false
  private resourceVersion: string | undefined
  private stopped = false
  private abort: AbortController | undefined
  private resync: NodeJS.Timeout | undefined
  private wake: (() => void) | undefined
  private running: Promise<void> | undefined

  private readonly source: InformerSource
  private readonly watcher: Watcher
  private readonly handlers: InformerHandlers
  private readonly options: InformerOptions

  constructor(source: InformerSource, watcher: Watcher, handlers: InformerHandlers, options: InformerOptions) {
    this.source = source
    this.watcher = watcher
    this.handlers = handlers
    this.options = options
  }

  /** Resolves after the first full list; watching goes on in the background until `stop`. */
  async start(): Promise<void> {
    /* c8 ignore next: a placeholder the Promise executor replaces before anything calls it */
    let listed: () => void = () => {}
    const firstList = new Promise<void>((resolve) => (listed = resolve))
    this.running = this.run(listed)
    this.resync = setInterval(() => {
      for (const object of this.cache.values()) this.handlers.changed(object)
    }, this.options.resyncMs)
    this.resync.unref()
    await firstList
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.resync)
    this.abort?.abort()
    this.wake?.()
    await this.running
  }

  private async run(listed: () => void): Promise<void> {
    let backoff = this.options.backoffMs
    let needsList = true
    while (!this.stopped) {
      try {
        if (needsList) {
          await this.relist()
          needsList = false
          backoff = this.options.backoffMs
          listed()
        }
        const outcome = await this.watchOnce()
        backoff = this.options.backoffMs
        if (outcome === 'gone') needsList = true
        continue
      } catch (error) {
        if (isGone(error)) {
          needsList = true
          continue
        }
        /* c8 ignore next: the client rejects with Errors; String(error) is for anything else thrown */
        this.handlers.trouble(`${this.source.label}: ${(error as Error).message ?? String(error)}; retrying in ${backoff} ms`)
      }
      await this.sleep(backoff)
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs)
    }
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, KubeObject>()
    let token: string | undefined
    let resourceVersion: string | undefined
    do {
      const page = await this.source.list(token === undefined ? { limit: this.options.pageSize } : { limit: this.options.pageSize, _continue: token })
      // The first page's resourceVersion is the snapshot every later page belongs to.
      resourceVersion ??= page.metadata?.resourceVersion
      for (const item of page.items) {
        const object = { ...(item as KubeObject), apiVersion: this.source.apiVersion, kind: this.source.kind }
        fresh.set(keyOf(object), object)
      }
      token = page.metadata?._continue || undefined
    } while (token !== undefined)
    const vanished = [...this.cache].filter(([key]) => !fresh.has(key))
    this.cache.clear()
    for (const [key, object] of fresh) this.cache.set(key, object)
    this.resourceVersion = resourceVersion
    this.synced = true
    for (const [, object] of vanished) this.handlers.deleted(object)
    for (const object of fresh.values()) this.handlers.changed(object)
  }

  /** One watch request, until the server ends it: 'ended' to resume, 'gone' to relist. */
  private watchOnce(): Promise<'ended' | 'gone'> {
    return new Promise((resolve, reject) => {
      let gone = false
      let failure: string | undefined
      const query: Record<string, string | number | boolean> = { allowWatchBookmarks: true, timeoutSeconds: this.options.watchTimeoutSeconds }
      if (this.resourceVersion !== undefined) query.resourceVersion = this.resourceVersion
      const onEvent = (type: string, raw: unknown) => {
        const object = raw as KubeObject
        if (type === 'ERROR') {
          if (isGone(raw)) gone = true
          else failure = `watch error: ${(raw as { message?: string }).message ?? 'no message'}`
          this.abort?.abort()
          return
        }
        const version = object?.metadata?.resourceVersion
        if (version !== undefined) this.resourceVersion = version
        if (type === 'BOOKMARK') return
        const typed = { ...object, apiVersion: this.source.apiVersion, kind: this.source.kind }
        if (type === 'DELETED') {
          this.cache.delete(keyOf(typed))
          this.handlers.deleted(typed)
        } else {
          this.cache.set(keyOf(typed), typed)
          this.handlers.changed(typed)
        }
      }
      const done = (error: unknown) => {
        if (gone) resolve('gone')
        else if (failure !== undefined) reject(new Error(failure))
        // A watch that went silent (client-node's idle timeout) is resumed like one that ended.
        else if (error === null || error === undefined || this.stopped || ['AbortError', 'TimeoutError'].includes((error as Error).name)) resolve('ended')
        else reject(error)
      }
      this.watcher.watch(this.source.watchPath, query, onEvent, done).then((controller) => {
        this.abort = controller
        // stop() came while the request was unanswered: there was no controller to abort then.
        if (this.stopped) controller.abort()
      }, reject)
    })
  }

  private sleep(ms: number): Promise<void> {
    // A stop that came while a list or watch was failing must not wait out the backoff.
    if (this.stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }
}
