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

function hostOf(registry: string): string {
  return registry.replace(/:\d*$/, '').toLowerCase()
}

function withRepository(ref: ImageRef, registry: string, components: string[]): ImageRef {
  // One-component Docker Hub names live under library/, wherever the request was routed.
  const path = registry === DOCKER_HUB && components.length === 1 ? ['library', ...components] : components
  const repository = path.join('/')
  return { ...ref, registry, repository, name: `${registry}/${repository}` }
}

/** Compiles the alias tables once; the resolver then costs one parse and a scan of the path. */
export function compileUpstreamResolver(aliases: UpstreamAliases): UpstreamResolver {
  const dockerHubHosts = new Set([DOCKER_HUB, ...aliases.dockerHubHosts.map((host) => host.toLowerCase())])
  const upstreamOf = (registry: string) => (dockerHubHosts.has(hostOf(registry)) ? DOCKER_HUB : registry.toLowerCase())
  const prefixes = Object.entries(aliases.proxyPrefixes).map(([prefix, upstream]) => ({
    segments: prefix.toLowerCase().split('/').filter(Boolean),
    upstream: upstreamOf(upstream),
  }))

  /** The leftmost proxy prefix in the path that leaves at least one component after it. */
  function proxyHop(components: string[]): { upstream: string; rest: string[] } | undefined {
    for (let start = 0; start < components.length - 1; start++) {
      for (const { segments, upstream } of prefixes) {
        const end = start + segments.length
        if (segments.length === 0 || end >= components.length) continue
        if (segments.every((segment, offset) => components[start + offset] === segment)) return { upstream, rest: components.slice(end) }
      }
    }
    return undefined
  }

  return (reference) => {
    const ref = normaliseImageRef(reference)
    let registry = upstreamOf(ref.registry)
    let components = ref.repository.split('/')
    // On Docker Hub itself a first path component is an account, never a proxy.
    for (let hop = 0; hop < MAX_PROXY_HOPS && registry !== DOCKER_HUB; hop++) {
      const found = proxyHop(components)
      if (found === undefined) break
      registry = found.upstream
      components = found.rest
    }
    return withRepository(ref, registry, components)
  }
}
