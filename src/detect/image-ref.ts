// Image references are normalised the way the container runtime resolves them
// (distribution/reference): docker.io is the default registry, index.docker.io is an alias
// of it, and one-component Docker Hub names live under library/.

export interface ImageRef {
  /** e.g. `docker.io`, `registry.k8s.io`, `localhost:5000` */
  registry: string
  /** e.g. `library/nginx`, `xmrig/xmrig` */
  repository: string
  tag: string | undefined
  digest: string | undefined
  /** `registry/repository`, what lists of images match against. */
  name: string
}

const DOCKER_HUB = 'docker.io'

function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost'
}

export function normaliseImageRef(reference: string): ImageRef {
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
  // A colon after the last slash is a tag; before it, a registry port.
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  // Cut by position, not split and joined: this runs for every container of every review.
  let registry = DOCKER_HUB
  let path = rest
  const firstSlash = rest.indexOf('/')
  if (firstSlash !== -1) {
    const first = rest.slice(0, firstSlash)
    if (looksLikeRegistry(first)) {
      registry = first.toLowerCase()
      path = rest.slice(firstSlash + 1)
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`
  const repository = path.toLowerCase()
  return { registry, repository, tag, digest, name: `${registry}/${repository}` }
}
