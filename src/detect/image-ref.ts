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
  const components = rest.split('/')
  let registry = DOCKER_HUB
  if (components.length > 1 && looksLikeRegistry(components[0] as string)) {
    registry = (components.shift() as string).toLowerCase()
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB
  if (registry === DOCKER_HUB && components.length === 1) components.unshift('library')
  const repository = components.join('/').toLowerCase()
  return { registry, repository, tag, digest, name: `${registry}/${repository}` }
}
