// Known crypto-miner images. References are reduced to their upstream identity first (Docker
// Hub aliases, mirrors and pull-through proxy prefixes from the data, library/, tags), then
// matched by whole words, so `minio/minio` or `mongo` never match `miner`-like words. Images,
// accounts and digests are intel (data/intel/images.yaml): the denial quotes their source.
import type { ContainerValidationPolicy } from 'jackstop/policy'

interface MinerImagesData {
  /** Whole words that mark a miner anywhere in the repository path or tag. */
  nameWords: string[]
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
    required: ['nameWords', 'upstreams'],
    additionalProperties: false,
    properties: {
      nameWords: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' } },
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
  prepare: ({ data, intel, kit }) => {
    const cite = kit.intel.citation
    const upstream = kit.compileUpstreamResolver(data.upstreams)
    const knownImages = new Map(intel.images.map((entry) => [upstream(entry.name).name, entry]))
    // An account is reduced like an image in it, to a prefix that ends at a slash (its name holds no `:`, `@` or space),
    // so an image's account is found among the prefixes of its name that end at a slash; the first listed wins.
    const accounts = new Map<string, { order: number; entry: (typeof intel.accounts)[number] }>()
    intel.accounts.forEach((entry, order) => {
      const prefix = upstream(`${entry.name}/x`).name.slice(0, -1)
      if (!accounts.has(prefix)) accounts.set(prefix, { order, entry })
    })
    // Prefixes longer than every account's are not cut: a name of many slashes costs no more than a short one.
    const longest = [...accounts.keys()].reduce((most, prefix) => Math.max(most, prefix.length), 0)
    const accountOf = (name: string) => {
      let found: { order: number; entry: (typeof intel.accounts)[number] } | undefined
      for (let slash = name.indexOf('/'); slash !== -1 && slash < longest; slash = name.indexOf('/', slash + 1)) {
        const account = accounts.get(name.slice(0, slash + 1))
        if (account !== undefined && (found === undefined || account.order < found.order)) found = account
      }
      return found?.entry
    }
    const knownDigests = new Map(intel.digests.map((entry) => [entry.digest, entry]))
    // Words with several separators make the word matcher backtrack (each separator is optional in it): their first parts are listed already.
    const programWords = intel.programs
      .filter((program) => program.ambiguous !== true)
      .flatMap((program) => [program.name, ...(program.variants ?? [])])
      .filter((word) => (word.match(/[-_.]/g) ?? []).length <= 1)
    const minerWord = kit.tokenMatcher([...data.nameWords, ...programWords])
    return (container) => {
      if (typeof container.image !== 'string') return []
      const image = container.image
      const ref = upstream(image)
      const byDigest = ref.digest === undefined ? undefined : knownDigests.get(ref.digest.toLowerCase())
      if (byDigest !== undefined) {
        return [{ field: 'image', message: `image "${image}" has the digest of the crypto-miner image ${byDigest.name} (${cite(byDigest)})` }]
      }
      const account = accountOf(ref.name)
      if (account !== undefined) {
        return [{ field: 'image', message: `image "${image}" comes from an account that publishes crypto-miners (${cite(account)})` }]
      }
      const known = knownImages.get(ref.name)
      if (known !== undefined) return [{ field: 'image', message: `image "${image}" is a known crypto-miner image (${cite(known)})` }]
      const word = minerWord(`${ref.repository}:${ref.tag ?? ''}`)
      if (word === undefined) return []
      return [{ field: 'image', message: `image "${image}" is named like a crypto-miner ("${word}")` }]
    }
  },
} satisfies ContainerValidationPolicy<MinerImagesData>
