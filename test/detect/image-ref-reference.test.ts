// normaliseImageRef and the upstream resolver run for every container of every review, so they cut
// references by position and return the parsed reference itself when nothing is rewritten (issue 10,
// item 7). Here they are held to the split-and-join versions they replaced, kept below as the
// reference, over references built to find a difference: ports, aliases, proxy prefixes, empty
// components, case, white space, tags and digests in odd places.
import fc from 'fast-check'
import t from 'tap'
import { type ImageRef, normaliseImageRef } from '../../src/detect/image-ref.ts'
import { compileUpstreamResolver, type UpstreamAliases } from '../../src/detect/image-upstream.ts'

function referenceNormalise(reference: string): ImageRef {
  let rest = reference.trim()
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | undefined
  const lastSlash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  const components = rest.split('/')
  let registry = 'docker.io'
  const first = components[0] as string
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) registry = (components.shift() as string).toLowerCase()
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io'
  if (registry === 'docker.io' && components.length === 1) components.unshift('library')
  const repository = components.join('/').toLowerCase()
  return { registry, repository, tag, digest, name: `${registry}/${repository}` }
}

function referenceResolver(aliases: UpstreamAliases): (reference: string) => ImageRef {
  const hosts = new Set(['docker.io', ...aliases.dockerHubHosts.map((host) => host.toLowerCase())])
  const upstreamOf = (registry: string) => (hosts.has(registry.replace(/:\d*$/, '').toLowerCase()) ? 'docker.io' : registry.toLowerCase())
  const prefixes = Object.entries(aliases.proxyPrefixes).map(([prefix, upstream]) => ({
    segments: prefix.toLowerCase().split('/').filter(Boolean),
    upstream: upstreamOf(upstream),
  }))
  return (reference) => {
    const ref = referenceNormalise(reference)
    let registry = upstreamOf(ref.registry)
    let components = ref.repository.split('/')
    for (let hop = 0; hop < 4 && registry !== 'docker.io'; hop++) {
      let found: { upstream: string; rest: string[] } | undefined
      for (let start = 0; found === undefined && start < components.length - 1; start++) {
        for (const { segments, upstream } of prefixes) {
          const end = start + segments.length
          if (segments.length === 0 || end >= components.length) continue
          if (segments.every((segment, offset) => components[start + offset] === segment)) {
            found = { upstream, rest: components.slice(end) }
            break
          }
        }
      }
      if (found === undefined) break
      registry = found.upstream
      components = found.rest
    }
    const path = registry === 'docker.io' && components.length === 1 ? ['library', ...components] : components
    const repository = path.join('/')
    return { ...ref, registry, repository, name: `${registry}/${repository}` }
  }
}

const aliases: UpstreamAliases = {
  dockerHubHosts: ['index.docker.io', 'Registry-1.Docker.io', 'mirror.gcr.io'],
  // Upper case, an empty prefix, a multi-segment one, one that names another proxy, one to an alias host with a port.
  proxyPrefixes: {
    'dockerhub-proxy': 'docker.io',
    Hub: 'docker.io',
    '': 'docker.io',
    'a/b': 'Quay.io',
    'quay-cache': 'quay.io',
    'to-mirror': 'mirror.gcr.io:443',
  },
}

const component = fc.oneof(
  fc.constantFrom('docker.io', 'index.docker.io', 'registry-1.docker.io', 'Registry-1.Docker.IO:443', 'mirror.gcr.io', 'mirror.gcr.io:', 'mirror.gcr.io:x1'),
  fc.constantFrom('localhost', 'LocalHost', 'localhost:5000', 'ghcr.io', 'quay.io', 'harbor.example:8443', 'h:1:2'),
  fc.constantFrom('dockerhub-proxy', 'hub', 'HUB', 'a', 'b', 'quay-cache', 'to-mirror', 'xmrig', 'XMRig', 'library', 'busybox', ''),
  fc.string({ maxLength: 4 }),
)
const imageReference = fc
  .tuple(
    fc.constantFrom('', ' ', '\t'),
    fc.array(component, { minLength: 1, maxLength: 6 }),
    fc.constantFrom('', ':latest', ':6.21.0', ':', '@sha256:abc', ':1@sha256:abc', '@x@y', ' '),
  )
  .map(([space, components, tail]) => `${space}${components.join('/')}${tail}`)

t.test('normaliseImageRef parses every reference as the split-and-join version did', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.oneof(imageReference, fc.string({ maxLength: 12 })),
        (reference) => JSON.stringify(normaliseImageRef(reference)) === JSON.stringify(referenceNormalise(reference)),
      ),
      { seed: 20261202, numRuns: 5000 },
    ),
  )
})

t.test('the upstream resolver reduces every reference as the version that split each path did', async (t) => {
  const upstream = compileUpstreamResolver(aliases)
  const reference = referenceResolver(aliases)
  let rewritten = 0
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(imageReference, (image) => {
        const expected = reference(image)
        if (expected.name !== referenceNormalise(image).name) rewritten++
        return JSON.stringify(upstream(image)) === JSON.stringify(expected)
      }),
      { seed: 20261203, numRuns: 5000 },
    ),
  )
  // The comparison means something only if many references were rewritten by an alias or a prefix.
  t.ok(rewritten > 500, `${rewritten} references rewritten`)
  // A prefix whose upstream the data spells in capitals, and one whose upstream is a Docker Hub alias with a port.
  t.same(upstream('cache.example/A/B/app:1').name, 'quay.io/app')
  t.same(upstream('cache.example/to-mirror/busybox').name, 'docker.io/library/busybox')
  t.same(upstream('cache.example/to-mirror/busybox'), reference('cache.example/to-mirror/busybox'))
})

t.test('without proxy prefixes no path is rewritten, and a Docker Hub alias still is', async (t) => {
  const upstream = compileUpstreamResolver({ dockerHubHosts: ['mirror.gcr.io'], proxyPrefixes: {} })
  t.equal(upstream('harbor.example/dockerhub-proxy/xmrig/xmrig').name, 'harbor.example/dockerhub-proxy/xmrig/xmrig')
  t.equal(upstream('mirror.gcr.io:443/busybox').name, 'docker.io/library/busybox')
})
