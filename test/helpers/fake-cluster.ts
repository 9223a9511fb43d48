// A loopback stand-in for the Kubernetes API server that `jackstop watch` can live in: list with
// pages and a resourceVersion, watch as a chunked stream of JSON lines that resumes from a
// resourceVersion (410 Gone once compacted), get/create/replace/patch/delete for any resource,
// the scale and eviction subresources, optimistic concurrency (409 on a stale resourceVersion)
// and metrics.k8s.io PodMetrics. Resources are keyed `group/plural` (`apps/deployments`), core
// ones by plural alone (`pods`).
import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import jsonPatch from 'fast-json-patch'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { testPki } from './server.ts'

export interface FakeClusterOptions {
  /** Objects by resource key: `pods`, `apps/deployments`, `metrics.k8s.io/pods` … */
  objects?: Record<string, KubeObject[]>
  /** Without it, every metrics.k8s.io path answers 404, as on a cluster with no metrics-server. */
  metrics?: boolean
}

interface Route {
  resource: string
  namespace: string | undefined
  name: string | undefined
  subresource: string | undefined
}

interface LoggedEvent {
  resourceVersion: number
  resource: string
  namespace: string | undefined
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  object: KubeObject
}

interface OpenWatch {
  resource: string
  namespace: string | undefined
  response: ServerResponse
}

const SCALABLE = new Set(['apps/deployments', 'apps/statefulsets', 'apps/replicasets', 'replicationcontrollers'])

function parseRoute(pathname: string): Route | undefined {
  const match = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/(.*)$/.exec(pathname)
  if (match === null) return undefined
  const group = match[1]
  let parts = (match[2] as string).split('/').filter((part) => part !== '')
  let namespace: string | undefined
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1]
    parts = parts.slice(2)
  }
  const [plural, name, subresource] = parts
  if (plural === undefined) return undefined
  return { resource: group === undefined ? plural : `${group}/${plural}`, namespace, name, subresource }
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`

export class FakeCluster {
  readonly requests: string[] = []
  url = ''
  metrics: boolean
  private readonly store = new Map<string, Map<string, KubeObject>>()
  private readonly log: LoggedEvent[] = []
  private compactedUpTo = 0
  private revision = 1
  private readonly watches = new Set<OpenWatch>()
  private readonly server = createServer({ key: testPki().serving.keyPem, cert: testPki().serving.certPem }, (request, response) =>
    this.handle(request, response),
  )
  /** Answers the next matching requests (`METHOD path-prefix`) with this status instead. */
  readonly failures = new Map<string, number>()
  /** Answers every matching request (`METHOD path-prefix`) with this status until removed, as RBAC that forbids it does. */
  readonly refusals = new Map<string, number>()
  /** Answers the next matching requests (`METHOD path-prefix`) with this body and a 200, as-is. */
  readonly answers = new Map<string, unknown>()

  constructor(options: FakeClusterOptions = {}) {
    this.metrics = options.metrics ?? true
    for (const [resource, objects] of Object.entries(options.objects ?? {})) for (const object of objects) this.put(resource, object, false)
  }

  async start(): Promise<this> {
    // The API server keeps idle connections open for long; Node's 5 s default would reset the
    // connections a client reuses, which no real cluster does.
    this.server.keepAliveTimeout = 120_000
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.dropWatches()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  kubeconfig(): string {
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: this.url, 'certificate-authority-data': Buffer.from(testPki().ca.certPem).toString('base64') } }],
      users: [{ name: 'watcher', user: { token: 'watcher-token' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'watcher' } }],
      'current-context': 'fake',
    })
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(resource)?.get(keyOf(namespace, name))
  }

  list(resource: string): KubeObject[] {
    return [...(this.store.get(resource)?.values() ?? [])]
  }

  /** Creates or replaces an object, as a client would, and tells every watcher. */
  apply(resource: string, object: KubeObject): KubeObject {
    return this.put(resource, structuredClone(object), true)
  }

  remove(resource: string, namespace: string | undefined, name: string): void {
    const existing = this.get(resource, namespace, name)
    if (existing === undefined) return
    this.store.get(resource)?.delete(keyOf(namespace, name))
    const revision = ++this.revision
    const object = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(revision) } }
    this.record({ resourceVersion: revision, resource, namespace, type: 'DELETED', object })
  }

  /** Ends every open watch stream, as a load balancer or an API server restart would. */
  dropWatches(): void {
    for (const watch of this.watches) watch.response.end()
    this.watches.clear()
  }

  /** Forgets the event history: a watch resuming from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedUpTo = this.revision
    this.log.length = 0
  }

  openWatches(): number {
    return this.watches.size
  }

  private put(resource: string, object: KubeObject, notify: boolean): KubeObject {
    const namespace = object.metadata?.namespace
    const name = object.metadata?.name as string
    const objects = this.store.get(resource) ?? new Map<string, KubeObject>()
    this.store.set(resource, objects)
    const existing = objects.get(keyOf(namespace, name))
    const revision = ++this.revision
    const stored: KubeObject = {
      ...object,
      metadata: {
        ...object.metadata,
        uid: existing?.metadata?.uid ?? object.metadata?.uid ?? `uid-${resource.replace('/', '-')}-${namespace ?? ''}-${name}`,
        resourceVersion: String(revision),
        creationTimestamp: existing?.metadata?.creationTimestamp ?? object.metadata?.creationTimestamp ?? new Date(0),
      },
    }
    objects.set(keyOf(namespace, name), stored)
    if (notify) this.record({ resourceVersion: revision, resource, namespace, type: existing === undefined ? 'ADDED' : 'MODIFIED', object: stored })
    return stored
  }

  private record(event: LoggedEvent): void {
    this.log.push(event)
    for (const watch of this.watches) {
      if (watch.resource === event.resource && (watch.namespace === undefined || watch.namespace === event.namespace)) {
        watch.response.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`)
      }
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const method = request.method ?? 'GET'
    this.requests.push(`${method} ${url.pathname}${url.search}`)
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = chunks.length === 0 ? undefined : (JSON.parse(Buffer.concat(chunks).toString()) as unknown)
    for (const [prefix, code] of this.failures) {
      if (`${method} ${url.pathname}`.startsWith(prefix)) {
        this.failures.delete(prefix)
        return reply(response, code, statusObject(code, `injected failure for ${prefix}`))
      }
    }
    for (const [prefix, code] of this.refusals) {
      if (`${method} ${url.pathname}`.startsWith(prefix)) return reply(response, code, statusObject(code, `refused: ${prefix}`))
    }
    for (const [prefix, answer] of this.answers) {
      if (`${method} ${url.pathname}`.startsWith(prefix)) {
        this.answers.delete(prefix)
        return reply(response, 200, answer)
      }
    }
    const route = parseRoute(url.pathname)
    if (route === undefined || (route.resource.startsWith('metrics.k8s.io/') && !this.metrics)) {
      return reply(response, 404, statusObject(404, `the server could not find the requested resource (${url.pathname})`))
    }
    if (route.name === undefined) {
      if (method === 'GET' && (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1')) return this.watch(route, url, response)
      if (method === 'GET') return this.listReply(route, url, response)
      if (method === 'POST') return this.create(route, body as KubeObject, response)
    } else if (route.subresource === 'scale' && SCALABLE.has(route.resource)) {
      return this.scale(route, method, body, response)
    } else if (route.subresource === 'eviction' && method === 'POST') {
      if (this.get(route.resource, route.namespace, route.name) === undefined) return reply(response, 404, statusObject(404, `pods "${route.name}" not found`))
      this.remove(route.resource, route.namespace, route.name)
      return reply(response, 201, { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 })
    } else if (route.subresource === undefined) {
      return this.single(route as Route & { name: string }, method, body, response)
    }
    reply(response, 405, statusObject(405, `${method} is not supported on ${url.pathname}`))
  }

  private listReply(route: Route, url: URL, response: ServerResponse) {
    const items = this.list(route.resource).filter((object) => route.namespace === undefined || object.metadata?.namespace === route.namespace)
    const limit = Number(url.searchParams.get('limit') ?? items.length) || items.length
    const offset = Number(url.searchParams.get('continue') ?? 0)
    const next = offset + limit < items.length ? String(offset + limit) : undefined
    reply(response, 200, {
      kind: 'List',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.revision), ...(next === undefined ? {} : { continue: next }) },
      items: items.slice(offset, offset + limit),
    })
  }

  private watch(route: Route, url: URL, response: ServerResponse) {
    const from = Number(url.searchParams.get('resourceVersion') ?? this.revision)
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })
    // The API server sends the headers at once; a client waits for them before it can abort.
    response.flushHeaders()
    if (from < this.compactedUpTo) {
      // What the API server does for a resourceVersion it no longer holds: a 200 with an ERROR event.
      response.end(`${JSON.stringify({ type: 'ERROR', object: statusObject(410, `too old resource version: ${from} (${this.compactedUpTo})`) })}\n`)
      return
    }
    for (const event of this.log) {
      if (event.resourceVersion > from && event.resource === route.resource && (route.namespace === undefined || route.namespace === event.namespace)) {
        response.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`)
      }
    }
    const watch: OpenWatch = { resource: route.resource, namespace: route.namespace, response }
    this.watches.add(watch)
    response.on('close', () => this.watches.delete(watch))
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0)
    if (timeout > 0) setTimeout(() => response.end(), timeout * 1000).unref()
  }

  private create(route: Route, body: KubeObject, response: ServerResponse) {
    const name = body.metadata?.name ?? `${body.metadata?.generateName ?? 'object-'}${this.revision + 1}`
    const namespace = route.namespace
    if (this.get(route.resource, namespace, name) !== undefined) return reply(response, 409, statusObject(409, `"${name}" already exists`))
    reply(response, 201, this.put(route.resource, { ...body, metadata: { ...body.metadata, name, ...(namespace === undefined ? {} : { namespace }) } }, true))
  }

  private single(route: Route & { name: string }, method: string, body: unknown, response: ServerResponse) {
    const existing = this.get(route.resource, route.namespace, route.name)
    if (existing === undefined) return reply(response, 404, statusObject(404, `${route.resource} "${route.name}" not found`))
    if (method === 'GET') return reply(response, 200, existing)
    if (method === 'DELETE') {
      this.remove(route.resource, route.namespace, route.name)
      return reply(response, 200, existing)
    }
    if (method === 'PUT') {
      const replacement = body as KubeObject
      const expected = replacement.metadata?.resourceVersion
      if (expected !== undefined && expected !== existing.metadata?.resourceVersion) {
        return reply(response, 409, statusObject(409, `Operation cannot be fulfilled on ${route.resource} "${route.name}": the object has been modified`))
      }
      return reply(response, 200, this.put(route.resource, replacement, true))
    }
    if (method === 'PATCH') {
      const patched = applyPatch(existing, body)
      if (patched === undefined) return reply(response, 422, statusObject(422, 'the patch does not apply'))
      return reply(response, 200, this.put(route.resource, patched, true))
    }
    reply(response, 405, statusObject(405, `${method} is not supported`))
  }

  private scale(route: Route, method: string, body: unknown, response: ServerResponse) {
    const owner = this.get(route.resource, route.namespace, route.name as string)
    if (owner === undefined) return reply(response, 404, statusObject(404, `${route.resource} "${route.name}" not found`))
    const scaleOf = (object: KubeObject) => {
      const replicas = ((object.spec as { replicas?: number } | undefined)?.replicas ?? 1) as number
      return {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: object.metadata?.name, namespace: object.metadata?.namespace, resourceVersion: object.metadata?.resourceVersion },
        // autoscaling/v1 ScaleSpec.replicas is an int32 with omitempty: at zero the field is absent.
        spec: replicas === 0 ? {} : { replicas },
        status: { replicas },
      }
    }
    if (method === 'GET') return reply(response, 200, scaleOf(owner))
    const next = method === 'PATCH' ? applyPatch(scaleOf(owner), body) : (body as KubeObject)
    const replicas = (next?.spec as { replicas?: number } | undefined)?.replicas
    if (typeof replicas !== 'number') return reply(response, 422, statusObject(422, 'spec.replicas must be a number'))
    const updated = this.put(route.resource, { ...owner, spec: { ...(owner.spec as object), replicas } }, true)
    reply(response, 200, scaleOf(updated))
  }
}

function applyPatch(object: KubeObject, patch: unknown): KubeObject | undefined {
  try {
    if (Array.isArray(patch)) return jsonPatch.applyPatch(structuredClone(object), patch as jsonPatch.Operation[], true, false).newDocument
    return mergePatch(object, patch) as KubeObject
  } catch {
    return undefined
  }
}

/** RFC 7386: objects merge, null deletes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = mergePatch(result[key], value)
  }
  return result
}

function statusObject(code: number, message: string) {
  const reasons: Record<number, string> = { 404: 'NotFound', 409: 'Conflict', 410: 'Expired', 422: 'Invalid', 403: 'Forbidden', 500: 'InternalError' }
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reasons[code] ?? 'Unknown', code }
}

function reply(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

export async function startFakeCluster(options: FakeClusterOptions = {}): Promise<FakeCluster> {
  return new FakeCluster(options).start()
}
