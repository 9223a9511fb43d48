// Known crypto-miner images. Names are matched on normalised references (docker.io,
// library/, registry ports, tags and digests resolved first), and by whole words, so
// `minio/minio` or `mongo` never match `miner`-like words.
import type { ContainerValidationPolicy } from '../src/policy/definition.ts'

interface MinerImagesData {
  /** Exact repositories, normalised: `docker.io/xmrig/xmrig`. */
  images: string[]
  /** Publishers (`docker.io/name` or `registry/org`) whose every image is refused. */
  accounts: string[]
  /** Whole words that mark a miner anywhere in the repository path or tag. */
  nameWords: string[]
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
    required: ['images', 'accounts', 'nameWords'],
    properties: {
      // Slash-separated segments: a segment class that excluded no `/` would match `a/b/c/…` many ways.
      images: { type: 'array', items: { type: 'string', pattern: '^[^:@\\s/]+(?:/[^:@\\s/]+)+$' } },
      accounts: { type: 'array', items: { type: 'string', pattern: '^[^:@\\s]+$' } },
      nameWords: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' } },
    },
  },
  prepare: ({ data, kit }) => {
    const knownImages = new Set(data.images.map((image) => kit.normaliseImageRef(image).name))
    // An account is normalised like an image in it, then compared by prefix.
    const accounts = data.accounts.map((account) => `${kit.normaliseImageRef(`${account}/x`).name.slice(0, -1)}`)
    const minerWord = kit.tokenMatcher(data.nameWords)
    return (container) => {
      if (typeof container.image !== 'string') return []
      const ref = kit.normaliseImageRef(container.image)
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
