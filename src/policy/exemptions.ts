// Exemptions belong to the platform team: they come from policy files only, never from the
// workload (an annotation that switches a policy off is a bypass for attackers).
import type { Exemptions } from '../engine/types.ts'

function globToRegExpSource(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
}

export function compileExemptions(exempt: { namespaces?: string[]; images?: string[]; serviceAccounts?: string[] } = {}): Exemptions {
  const images = exempt.images ?? []
  return {
    namespaces: new Set(exempt.namespaces ?? []),
    images: images.length === 0 ? undefined : new RegExp(`^(?:${images.map(globToRegExpSource).join('|')})$`),
    serviceAccounts: new Set(exempt.serviceAccounts ?? []),
  }
}
