import t from 'tap'
import { compileUpstreamResolver } from '../../src/detect/image-upstream.ts'

const upstream = compileUpstreamResolver({
  dockerHubHosts: ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'mirror.gcr.io'],
  proxyPrefixes: {
    'dockerhub-proxy': 'docker.io',
    'docker.io': 'docker.io',
    dockerhub: 'docker.io',
    hub: 'docker.io',
    'quay-cache': 'quay.io',
    'dependency_proxy/containers': 'docker.io',
  },
})

const digest = 'sha256:9b4b0f2c2e3a6f6f3c1c7c8e0e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b'

// Every spelling on the left is pulled from the upstream on the right.
const spellings: [string, string][] = [
  ['xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['docker.io/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['docker.io:443/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['index.docker.io/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['index.docker.io:443/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['registry-1.docker.io/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['registry-1.docker.io:443/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['Registry-1.Docker.IO:443/XMRig/XMRig:6.21.0', 'docker.io/xmrig/xmrig'],
  ['registry.hub.docker.com/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['registry.hub.docker.com:443/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['mirror.gcr.io/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['mirror.gcr.io:443/xmrig/xmrig:latest', 'docker.io/xmrig/xmrig'],
  ['mirror.gcr.io/busybox', 'docker.io/library/busybox'],
  ['harbor.example/dockerhub-proxy/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['harbor.example:8443/dockerhub-proxy/xmrig/xmrig:6.21.0', 'docker.io/xmrig/xmrig'],
  ['harbor.example/DockerHub-Proxy/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['harbor.example/dockerhub-proxy/busybox', 'docker.io/library/busybox'],
  ['harbor.example/dockerhub-proxy/library/busybox', 'docker.io/library/busybox'],
  ['nexus.example:8082/docker.io/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['artifactory.example/dockerhub/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['registry.example/hub/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['registry.example/team/mirrors/hub/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['gitlab.example:443/group/dependency_proxy/containers/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['outer.example/dockerhub-proxy/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
  ['cache.example/quay-cache/org/app', 'quay.io/org/app'],
  ['cache.example/quay-cache/dockerhub-proxy/xmrig/xmrig', 'docker.io/xmrig/xmrig'],
]

for (const [reference, name] of spellings) {
  t.test(`${reference} is reduced to ${name}`, async (t) => {
    t.equal(upstream(reference).name, name)
  })
}

t.test('tag and digest survive the reduction', async (t) => {
  t.same(upstream(`harbor.example/dockerhub-proxy/xmrig/xmrig:6.21.0@${digest}`), {
    registry: 'docker.io',
    repository: 'xmrig/xmrig',
    tag: '6.21.0',
    digest,
    name: 'docker.io/xmrig/xmrig',
  })
})

// Names that must keep their own identity: no prefix is stripped where it is a real account or image.
const kept: [string, string][] = [
  ['docker.io/hub/xmrig', 'docker.io/hub/xmrig'],
  ['hub/app', 'docker.io/hub/app'],
  ['ghcr.io/org/hub', 'ghcr.io/org/hub'],
  ['registry.example/dockerhub-proxy', 'registry.example/dockerhub-proxy'],
  ['quay.io/org/app', 'quay.io/org/app'],
  ['gcr.io/project/app', 'gcr.io/project/app'],
  ['localhost:5000/tools/miner', 'localhost:5000/tools/miner'],
  ['mirror.gcr.io.attacker.example/xmrig/xmrig', 'mirror.gcr.io.attacker.example/xmrig/xmrig'],
]

for (const [reference, name] of kept) {
  t.test(`${reference} keeps its identity ${name}`, async (t) => {
    t.equal(upstream(reference).name, name)
  })
}

t.test('a path of nested proxy prefixes is reduced a bounded number of times', async (t) => {
  const nested = `cache.example/${'quay-cache/'.repeat(50)}org/app`
  t.equal(upstream(nested).name, `quay.io/${'quay-cache/'.repeat(46)}org/app`)
})

t.test('any Docker Hub alias, port, proxy host and proxy prefix reduces to the same upstream name', async () => {
  const { default: fc } = await import('fast-check')
  const dockerHub = fc.constantFrom('docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'mirror.gcr.io')
  const port = fc.constantFrom('', ':443', ':5000')
  const proxy = fc.constantFrom('harbor.example', 'nexus.example:8082', 'registry.internal')
  const prefix = fc.constantFrom('dockerhub-proxy', 'docker.io', 'dockerhub', 'hub', 'team/hub', 'group/dependency_proxy/containers')
  const tagged = fc.constantFrom('', ':latest', ':6.21.0', `@${digest}`, `:1@${digest}`)
  const viaHost = fc.tuple(dockerHub, port).map(([host, p]) => `${host}${p}/`)
  const viaProxy = fc.tuple(proxy, prefix).map(([host, path]) => `${host}/${path}/`)
  fc.assert(
    fc.property(fc.oneof(viaHost, viaProxy, fc.constant('')), tagged, (front, tail) => upstream(`${front}xmrig/xmrig${tail}`).name === 'docker.io/xmrig/xmrig'),
    { seed: 20261202, numRuns: 500 },
  )
})
