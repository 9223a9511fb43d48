// A mirror or a pull-through proxy serves the bytes of the registry it fronts: intel about a
// Docker Hub publisher must also match `mirror.gcr.io/<account>/x`, `registry-1.docker.io:443/
// <account>/x` and `harbor.example/dockerhub-proxy/<account>/x`. This reduces a reference to the
// upstream identity it names before any list is consulted (issue 12: 3 spellings slipped past).
import { type ImageRef, normaliseImageRef } from './image-ref.ts'

export interface UpstreamAliases {
  /** Registry hosts that serve Docker Hub, matched whatever the port: `mirror.gcr.io`, `registry-1.docker.io`. */
  dockerHubHosts: readonly string[]
  /** Repository path prefixes a proxy puts before an upstream's repositories, and that upstream: `dockerhub-proxy: docker.io`. */
  proxyPrefixes: Readonly<Record<string, string>>
}

export type UpstreamResolver = (reference: string) => ImageRef

const DOCKER_HUB = 'docker.io'
// A proxy in front of a proxy is plausible; more than this is a reference built to make us loop.
const MAX_PROXY_HOPS = 4

/** The registry without its port (`mirror.gcr.io:443`); `registry` is lower case already. */
function hostOf(registry: string): string {
  const colon = registry.lastIndexOf(':')
  if (colon === -1) return registry
  for (let index = colon + 1; index < registry.length; index++) {
    const code = registry.charCodeAt(index)
    if (code < 48 || code > 57) return registry
  }
  return registry.slice(0, colon)
}

function withRepository(ref: ImageRef, registry: string, components: string[]): ImageRef {
  // One-component Docker Hub names live under library/, wherever the request was routed.
  const path = registry === DOCKER_HUB && components.length === 1 ? ['library', ...components] : components
  const repository = path.join('/')
  return { ...ref, registry, repository, name: `${registry}/${repository}` }
}

const SLASH = 47

/** Compiles the alias tables once; the resolver then costs one parse and a scan of the path. */
export function compileUpstreamResolver(aliases: UpstreamAliases): UpstreamResolver {
  const dockerHubHosts = new Set([DOCKER_HUB, ...aliases.dockerHubHosts.map((host) => host.toLowerCase())])
  // Registries reach here lower-cased by normaliseImageRef; the table's own spellings are lowered here.
  const upstreamOf = (registry: string) => (dockerHubHosts.has(hostOf(registry)) ? DOCKER_HUB : registry)
  const prefixes = Object.entries(aliases.proxyPrefixes)
    .map(([prefix, upstream]) => ({ segments: prefix.toLowerCase().split('/').filter(Boolean), upstream: upstreamOf(upstream.toLowerCase()) }))
    .filter(({ segments }) => segments.length > 0)
  // A hop needs a component that starts a prefix and has a component after it (`hub/`): most paths have none.
  const hopStarts = [...new Set(prefixes.map(({ segments }) => `${segments[0]}/`))]
  const mayHop = (path: string) => {
    for (const start of hopStarts) {
      for (let at = path.indexOf(start); at !== -1; at = path.indexOf(start, at + 1)) if (at === 0 || path.charCodeAt(at - 1) === SLASH) return true
    }
    return false
  }

  /** The leftmost proxy prefix in the path that leaves at least one component after it. */
  function proxyHop(components: string[]): { upstream: string; rest: string[] } | undefined {
    for (let start = 0; start < components.length - 1; start++) {
      for (const { segments, upstream } of prefixes) {
        const end = start + segments.length
        if (end >= components.length) continue
        if (segments.every((segment, offset) => components[start + offset] === segment)) return { upstream, rest: components.slice(end) }
      }
    }
    return undefined
  }

  return (reference) => {
    const ref = normaliseImageRef(reference)
    const registry = upstreamOf(ref.registry)
    // On Docker Hub itself a first path component is an account, never a proxy.
    if (registry === DOCKER_HUB && ref.registry === DOCKER_HUB) return ref
    // Most references name a registry that is no alias (upstreamOf returned it as it was), through no proxy prefix.
    if (registry !== DOCKER_HUB && !mayHop(ref.repository)) return ref
    let upstream = registry
    let components = ref.repository.split('/')
    for (let hop = 0; hop < MAX_PROXY_HOPS && upstream !== DOCKER_HUB; hop++) {
      const found = proxyHop(components)
      if (found === undefined) break
      upstream = found.upstream
      components = found.rest
    }
    return withRepository(ref, upstream, components)
  }
}
