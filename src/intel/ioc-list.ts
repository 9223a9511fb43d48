// Reads a plain indicator list, one value a line (`#` starts a comment), the way threat
// reports publish them: defanged values (`pool[.]example[.]com`, `hxxp://`) are refanged.
import type { Intel, IntelList, Provenance } from './types.ts'

export const LIST_KINDS = ['pools', 'images', 'accounts', 'digests', 'programs', 'installers'] as const
export type ListKind = (typeof LIST_KINDS)[number] & IntelList

export interface ListResult {
  entries: Partial<Intel>
  /** Lines that are not a value of the kind, with their number. */
  rejected: string[]
}

function refang(line: string): string {
  return line.replaceAll('[.]', '.').replaceAll('(.)', '.').replaceAll('[:]', ':').replace(/^hxxp/i, 'http')
}

/** The value a line holds for `kind`, or undefined when it is not one. */
function listValue(kind: ListKind, line: string): string | undefined {
  const value = refang(line)
  switch (kind) {
    case 'pools': {
      // The host: what comes after any scheme and before the first `/` or `:`.
      const host = value
        .replace(/^[a-z0-9+]+:\/\//i, '')
        .replace(/[/:][\s\S]*$/, '')
        .toLowerCase()
      return /^[a-z0-9][a-z0-9.-]*$/.test(host) && host.includes('.') ? host : undefined
    }
    case 'installers': {
      const prefix = value.replace(/^https?:\/\//i, '').toLowerCase()
      return /^[a-z0-9][a-z0-9.-]*(\/\S*)?$/.test(prefix) && prefix.includes('.') ? prefix : undefined
    }
    case 'digests':
      return /^sha256:[0-9a-f]{64}$/.test(value.toLowerCase()) ? value.toLowerCase() : undefined
    case 'images':
      return /^[^:@\s]+$/.test(value) && value.includes('/') ? value : undefined
    case 'accounts':
      return /^[^:@\s]+$/.test(value) ? value : undefined
    case 'programs':
      return /^[a-z0-9][a-z0-9._-]*$/.test(value.toLowerCase()) ? value.toLowerCase() : undefined
  }
}

export function listEntries(text: string, kind: ListKind, provenance: Provenance): ListResult {
  const result: ListResult = { entries: { [kind]: [] }, rejected: [] }
  const entries = result.entries[kind] as object[]
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (line === '') return
    const value = listValue(kind, line)
    if (value === undefined) {
      result.rejected.push(`line ${index + 1}: "${line.slice(0, 80)}" is not a ${kind.replace(/s$/, '')}`)
      return
    }
    const key = kind === 'pools' ? 'domain' : kind === 'installers' ? 'prefix' : kind === 'digests' ? 'digest' : 'name'
    // A digest list says nothing of the image's name: the denial then quotes where the digest came from.
    entries.push(kind === 'digests' ? { digest: value, name: `listed by ${provenance.source}`, ...provenance } : { [key]: value, ...provenance })
  })
  return result
}
