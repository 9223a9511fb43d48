// `--image registry.example/sec/jackstop:0.1.0` as a Kustomize `images:` entry, so the overlay
// sets the image of every container that runs jackstop (manifests/ says `jackstop:0.1.0`,
// which would resolve to docker.io/library/jackstop and pull nothing).
import { UsageError } from '../errors.ts'

export interface KustomizeImage {
  name: string
  newName: string
  newTag?: string
  digest?: string
}

// Docker's reference grammar, simplified: registry host (with port), path, tag, digest.
const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const TAG = /^\w[\w.-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/

/** The image name manifests/ uses for jackstop's containers. */
export const BASE_IMAGE_NAME = 'jackstop'

export function kustomizeImage(reference: string): KustomizeImage {
  const at = reference.indexOf('@')
  const digest = at === -1 ? undefined : reference.slice(at + 1)
  const named = at === -1 ? reference : reference.slice(0, at)
  const colon = named.lastIndexOf(':')
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon + 1) : undefined
  const newName = tag === undefined ? named : named.slice(0, colon)
  const invalid = !REPOSITORY.test(newName) || (tag !== undefined && !TAG.test(tag)) || (digest !== undefined && !DIGEST.test(digest))
  if (invalid) throw new UsageError(`--image "${reference}" is not an image reference such as registry.example/sec/jackstop:0.1.0 or …@sha256:<64 hex>`)
  if (tag === undefined && digest === undefined) throw new UsageError(`--image "${reference}" needs a tag or a digest: a moving "latest" is not an install`)
  return { name: BASE_IMAGE_NAME, newName, ...(tag === undefined ? {} : { newTag: tag }), ...(digest === undefined ? {} : { digest }) }
}
