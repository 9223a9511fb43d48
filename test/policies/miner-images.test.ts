import { readFileSync } from 'node:fs'
import t from 'tap'
import { stringify } from 'yaml'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { DEFAULT_POLICIES, defaultPolicies } from '../helpers/server.ts'
import { BAD_IMAGE_SPELLINGS } from '../tables/image-spellings.ts'

const policySet = await defaultPolicies()

function minerFinding(image: string, policies: PolicySet = policySet): string | undefined {
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image }] } }
  return evaluate({ object }, policies).findings.find((finding) => finding.policy === 'miner-images')?.message
}

const digest = 'sha256:0f5bbcb1c4b5a39b2c1e0d5e7c1f6d0b6c4b9e7e5b3d2a1f0e9d8c7b6a594837'

const refused: [string, string][] = [
  ['xmrig/xmrig', 'is a known crypto-miner image (Sysdig, 2022-11)'],
  ['docker.io/xmrig/xmrig:6.21.0', 'is a known crypto-miner image (Sysdig, 2022-11)'],
  ['index.docker.io/xmrig/xmrig:latest', 'is a known crypto-miner image (Sysdig, 2022-11)'],
  [`xmrig/xmrig@${digest}`, 'is a known crypto-miner image (Sysdig, 2022-11)'],
  [`docker.io/metal3d/xmrig:latest@${digest}`, 'is a known crypto-miner image (Sysdig, 2022-11)'],
  ['docker123321/tomcat', 'comes from an account that publishes crypto-miners (Kromtech, 2018-06)'],
  ['docker.io/gakeaws/nginx:v8', 'comes from an account that publishes crypto-miners (Unit 42, 2019-10)'],
  ['vibersastra/ubuntu:latest', 'comes from an account that publishes crypto-miners (Sysdig, 2022-11)'],
  ['someone/xmrig6', 'is named like a crypto-miner ("xmrig6")'],
  ['ghcr.io/someone/tools:bzminer-v21', 'is named like a crypto-miner ("bzminer")'],
  ['quay.io/someone/xmrig-proxy:latest', 'is named like a crypto-miner ("xmrig-proxy")'],
  ['ghcr.io/attacker/tools:xmrig-6.21', 'is named like a crypto-miner ("xmrig")'],
  ['localhost:5000/cpuminer-opt', 'is named like a crypto-miner ("cpuminer-opt")'],
  ['registry.example.com:8443/mining/xmr-stak:2.10', 'is named like a crypto-miner ("xmr-stak")'],
  ['someone/lolminer', 'is named like a crypto-miner ("lolminer")'],
]

for (const [image, why] of refused) {
  t.test(`${image} is refused`, async (t) => {
    t.equal(minerFinding(image), `spec.containers[0] "c": image "${image}" ${why} (miner-images)`)
  })
}

const admitted = [
  'minio/minio:RELEASE.2024-10-02T17-50-41Z',
  'mongo:7',
  'linuxmintd/mint21-amd64',
  'bitnami/minideb',
  'coinbase/rosetta-ethereum',
  'ethereum/client-go:stable',
  'bitcoin/bitcoin:27',
  'btcpayserver/bitcoin',
  'registry.k8s.io/pause:3.10',
  'minecraft-server:latest',
  'itzg/minecraft-server',
  'miniflux/miniflux',
  'determined-ai/determined-master',
  'rapidminer/rapidminer-studio',
  'minetest/minetest',
  'nginx@sha256:0f5bbcb1c4b5a39b2c1e0d5e7c1f6d0b6c4b9e7e5b3d2a1f0e9d8c7b6a594837',
]

for (const image of admitted) {
  t.test(`${image} is not mistaken for a miner`, async (t) => {
    t.equal(minerFinding(image), undefined)
  })
}

// Issue 12: the same known-bad publishers passed through a port, a mirror or a proxy path.
for (const image of BAD_IMAGE_SPELLINGS) {
  t.test(`${image} is traced to its Docker Hub publisher and refused`, async (t) => {
    t.match(
      minerFinding(image),
      /^spec\.containers\[0\] "c": image ".+" (comes from an account that publishes crypto-miners|is a known crypto-miner image)( \([^)]+\))? \(miner-images\)$/,
    )
  })
}

t.test('a known image behind a mirror is refused as the image it is', async (t) => {
  t.equal(
    minerFinding('mirror.gcr.io/metal3d/xmrig'),
    'spec.containers[0] "c": image "mirror.gcr.io/metal3d/xmrig" is a known crypto-miner image (Sysdig, 2022-11) (miner-images)',
  )
})

t.test('a digest the intel lists is refused under any name, a digest it does not list is not', async (t) => {
  const dir = t.testdir({
    // A link, not a copy: the import then resolves to the shipped file, so its coverage counts.
    'miner-images.ts': t.fixture('symlink', `${DEFAULT_POLICIES}miner-images.ts`),
    data: {
      'miner-images.yaml': readFileSync(`${DEFAULT_POLICIES}data/miner-images.yaml`, 'utf8'),
      intel: { 'digests.yaml': stringify({ digests: [{ digest, name: 'docker.io/xmrig/xmrig', source: 'test intel', date: '2025-01' }] }) },
    },
  })
  const withDigests = await loadPolicySet(dir)
  t.equal(
    minerFinding(`harbor.example/apps/web@${digest}`, withDigests),
    `spec.containers[0] "c": image "harbor.example/apps/web@${digest}" has the digest of the crypto-miner image docker.io/xmrig/xmrig (test intel, 2025-01) (miner-images)`,
  )
  t.equal(minerFinding(`harbor.example/apps/web@${digest.replace('0f5b', '1f5b')}`, withDigests), undefined)
})

t.test('an image is traced to the first listed account whose reduced prefix its upstream name starts with, however the accounts nest', async (t) => {
  const { default: fc } = await import('fast-check')
  const { default: minerImages } = await import('../../policies/miner-images.ts')
  const { policyKit } = await import('../../src/policy/kit.ts')
  const { emptyIntel } = await import('../../src/intel/types.ts')
  const data = (await import('yaml')).parse(readFileSync(`${DEFAULT_POLICIES}data/miner-images.yaml`, 'utf8'))
  const upstream = policyKit.compileUpstreamResolver(data.upstreams)
  // Account names as the intel schema allows them (no `:`, `@` or space): nested, on other registries, behind proxies, in capitals.
  const segment = fc.constantFrom('acct', 'Acct', 'other', 'hub', 'library', 'ghcr.io', 'mirror.gcr.io', 'harbor.example', 'dockerhub-proxy', 'docker.io', 'x')
  const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('/'))
  const entry = (name: string, index: number) => ({ name, source: `source ${index}`, date: '2026-12' })
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(path, { maxLength: 6 }), path, fc.constantFrom('', ':1.0', `@${digest}`), (names, image, tail) => {
        const accounts = names.map(entry)
        const run = minerImages.prepare({ data, intel: { ...emptyIntel(), accounts }, kit: policyKit }) as (container: object) => { message: string }[]
        const reference = `${image}/app${tail}`
        const ref = upstream(reference)
        const expected = accounts.findIndex(({ name }) => ref.name.startsWith(upstream(`${name}/x`).name.slice(0, -1)))
        const message = run({ name: 'c', image: reference })[0]?.message ?? ''
        return expected === -1 ? !message.includes('comes from an account') : message.includes(`(source ${expected}, 2026-12)`)
      }),
      { seed: 20261202, numRuns: 3000 },
    ),
  )
})

t.test('an image reference of many slashes, proxy-like components or near-miss words costs linearly in its length', async (t) => {
  const { growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } = await import('../helpers/linear-cost.ts')
  const review = (image: string) => minerFinding(image)
  const images: [string, (size: number) => string][] = [
    ['a/ runs on Docker Hub', (size) => `${repeatedTo('a/', size)}app`],
    ['a/ runs behind a registry', (size) => `registry.example/${repeatedTo('a/', size)}app:1`],
    ['proxy prefixes not at a component start', (size) => `registry.example/${repeatedTo('xhub/', size)}app`],
    ['nested proxy prefixes', (size) => `registry.example/${repeatedTo('hub/', size)}app`],
    ['near-miss miner words', (size) => `registry.example/${repeatedTo('xmr-', size)}:${repeatedTo('xmri', size)}`],
  ]
  for (const [name, build] of images) {
    t.equal(review(build(1000)), undefined, name)
    // From 1 K characters: a lookup per slash of the whole prefix is quadratic below V8's 16 K-character hashing cap.
    const ratio = growthRatio(build, review, 1024)
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${name}: cost ratio ${ratio.toFixed(1)}`)
  }
})
