// Known crypto-miner images. References are reduced to their upstream identity first (Docker
// Hub aliases, mirrors and pull-through proxy prefixes from the data, library/, tags), then
// matched by whole words, so `minio/minio` or `mongo` never match `miner`-like words.
import type { ContainerValidationPolicy } from 'jackstop/policy'

interface MinerImagesData {
  /** Exact repositories, normalised: `docker.io/xmrig/xmrig`. */
  images: string[]
  /** Publishers (`docker.io/name` or `registry/org`) whose every image is refused. */
  accounts: string[]
  /** Whole words that mark a miner anywhere in the repository path or tag. */
  nameWords: string[]
  /** Content digests of known miner images, matched whatever name the reference carries. */
  digests: { digest: string; image: string; source: string }[]
  /** Which registries and proxy paths serve another registry's images. */
  upstreams: { dockerHubHosts: string[]; proxyPrefixes: Record<string, string> }
}

export default {
  id: 'miner-images',
  description: 'Refuses containers whose image is a known crypto-miner, wherever it is pulled from.',
  severity: 'critical',
  action: 'deny',
  target: 'container',
  mode: 'validate',
  data: 'miner-images.yaml',
  dataSchema: {
    type: 'object',
    required: ['images', 'accounts', 'nameWords', 'digests', 'upstreams'],
    properties: {
      images: { type: 'array', items: { type: 'string', pattern: '^[^:@\\s]+/[^:@\\s]+$' } },
      accounts: { type: 'array', items: { type: 'string', pattern: '^[^:@\\s]+$' } },
      nameWords: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' } },
      digests: {
        type: 'array',
        items: {
          type: 'object',
          required: ['digest', 'image', 'source'],
          additionalProperties: false,
          properties: {
            digest: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$' },
            image: { type: 'string', minLength: 1 },
            source: { type: 'string', minLength: 1 },
          },
        },
      },
      upstreams: {
        type: 'object',
        required: ['dockerHubHosts', 'proxyPrefixes'],
        additionalProperties: false,
        properties: {
          dockerHubHosts: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9.-]+$' } },
          proxyPrefixes: { type: 'object', additionalProperties: { type: 'string', pattern: '^[a-z0-9.:-]+$' } },
        },
      },
    },
  },
  prepare: ({ data, kit }) => {
    const upstream = kit.compileUpstreamResolver(data.upstreams)
    const knownImages = new Set(data.images.map((image) => upstream(image).name))
    // An account is reduced like an image in it, then compared by prefix.
    const accounts = data.accounts.map((account) => `${upstream(`${account}/x`).name.slice(0, -1)}`)
    const knownDigests = new Map(data.digests.map((entry) => [entry.digest, entry]))
    const minerWord = kit.tokenMatcher(data.nameWords)
    return (container) => {
      if (typeof container.image !== 'string') return []
      const ref = upstream(container.image)
      const byDigest = ref.digest === undefined ? undefined : knownDigests.get(ref.digest.toLowerCase())
      if (byDigest !== undefined) {
        return [{ field: 'image', message: `image "${container.image}" has the digest of the crypto-miner image ${byDigest.image} (${byDigest.source})` }]
      }
      if (accounts.some((account) => ref.name.startsWith(account))) {
        return [{ field: 'image', message: `image "${container.image}" comes from an account that publishes crypto-miners` }]
      }
      if (knownImages.has(ref.name)) return [{ field: 'image', message: `image "${container.image}" is a known crypto-miner image` }]
      const word = minerWord(`${ref.repository}:${ref.tag ?? ''}`)
      if (word === undefined) return []
      return [{ field: 'image', message: `image "${container.image}" is named like a crypto-miner ("${word}")` }]
    }
  },
} satisfies ContainerValidationPolicy<MinerImagesData>
