// Known crypto-miner images. Names are matched on normalised references (docker.io,
// library/, registry ports, tags and digests resolved first), and by whole words, so
// `minio/minio` or `mongo` never match `miner`-like words. Images, accounts and digests are
// intel (data/intel/images.yaml): the denial quotes where each comes from.
import type { ContainerValidationPolicy } from '../src/policy/definition.ts'

interface MinerImagesData {
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
    required: ['nameWords'],
    additionalProperties: false,
    properties: { nameWords: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' } } },
  },
  prepare: ({ data, intel, kit }) => {
    const cite = kit.intel.citation
    const knownImages = new Map(intel.images.map((entry) => [kit.normaliseImageRef(entry.name).name, entry]))
    // An account is normalised like an image in it, then compared by prefix.
    const accounts = intel.accounts.map((entry) => ({ prefix: kit.normaliseImageRef(`${entry.name}/x`).name.slice(0, -1), entry }))
    const digests = new Map(intel.digests.map((entry) => [entry.digest, entry]))
    const programWords = intel.programs.filter((program) => program.ambiguous !== true).flatMap((program) => [program.name, ...(program.variants ?? [])])
    const minerWord = kit.tokenMatcher([...data.nameWords, ...programWords])
    return (container) => {
      if (typeof container.image !== 'string') return []
      const image = container.image
      const ref = kit.normaliseImageRef(image)
      const byDigest = ref.digest === undefined ? undefined : digests.get(ref.digest.toLowerCase())
      if (byDigest !== undefined) return [{ field: 'image', message: `image "${image}" is a known crypto-miner image by digest (${cite(byDigest)})` }]
      const account = accounts.find(({ prefix }) => ref.name.startsWith(prefix))
      if (account !== undefined) {
        return [{ field: 'image', message: `image "${image}" comes from an account that publishes crypto-miners (${cite(account.entry)})` }]
      }
      const known = knownImages.get(ref.name)
      if (known !== undefined) return [{ field: 'image', message: `image "${image}" is a known crypto-miner image (${cite(known)})` }]
      const word = minerWord(`${ref.repository}:${ref.tag ?? ''}`)
      if (word === undefined) return []
      return [{ field: 'image', message: `image "${image}" is named like a crypto-miner ("${word}")` }]
    }
  },
} satisfies ContainerValidationPolicy<MinerImagesData>
