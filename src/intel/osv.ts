// Reads OSV records (https://ossf.github.io/osv-schema/), the format of ossf/malicious-packages
// and osv.dev: each affected package becomes a package entry that keeps the record's id.
import type { PackageEntry } from './types.ts'

const ECOSYSTEMS = new Map([
  ['pypi', 'PyPI'],
  ['npm', 'npm'],
  ['go', 'Go'],
  ['rubygems', 'RubyGems'],
  ['crates.io', 'crates.io'],
])

interface OsvRecord {
  id?: unknown
  summary?: unknown
  published?: unknown
  modified?: unknown
  affected?: unknown
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True when `document` looks like one OSV record. */
export function isOsvRecord(document: unknown): document is OsvRecord {
  return isRecord(document) && typeof document.id === 'string' && Array.isArray(document.affected)
}

/** A range introduced at 0 and never fixed: every version is malicious (a package made to attack). */
function coversEveryVersion(ranges: unknown): boolean {
  if (!Array.isArray(ranges)) return false
  return ranges.some((range) => {
    const events = isRecord(range) && Array.isArray(range.events) ? range.events : []
    return (
      events.some((event) => isRecord(event) && event.introduced === '0') &&
      !events.some((event) => isRecord(event) && ('fixed' in event || 'last_affected' in event))
    )
  })
}

export interface OsvResult {
  entries: PackageEntry[]
  /** What could not be used, one line each (an ecosystem jackstop does not read, no versions). */
  skipped: string[]
}

/** The package entries of one record; `source` overrides `OSV`. */
export function osvPackageEntries(record: OsvRecord, source = 'OSV'): OsvResult {
  const id = record.id as string
  const dateText = typeof record.published === 'string' ? record.published : typeof record.modified === 'string' ? record.modified : ''
  const date = /^\d{4}-\d{2}-\d{2}/.test(dateText) ? dateText.slice(0, 10) : new Date().toISOString().slice(0, 10)
  const result: OsvResult = { entries: [], skipped: [] }
  for (const affected of record.affected as unknown[]) {
    const pkg = isRecord(affected) && isRecord(affected.package) ? affected.package : {}
    const ecosystem = typeof pkg.ecosystem === 'string' ? ECOSYSTEMS.get(pkg.ecosystem.toLowerCase()) : undefined
    const name = typeof pkg.name === 'string' ? pkg.name : undefined
    if (ecosystem === undefined || name === undefined || name === '') {
      result.skipped.push(`${id}: package ${String(pkg.ecosystem)}/${String(pkg.name)} is not in an ecosystem jackstop reads`)
      continue
    }
    const listed =
      isRecord(affected) && Array.isArray(affected.versions)
        ? affected.versions.filter((version): version is string => typeof version === 'string' && version !== '')
        : []
    const versions = listed.length > 0 ? listed : isRecord(affected) && coversEveryVersion(affected.ranges) ? ['*'] : []
    if (versions.length === 0) {
      result.skipped.push(`${id}: ${name} lists no versions`)
      continue
    }
    const entry: PackageEntry = { ecosystem, name, versions, id, source, date, url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` }
    if (typeof record.summary === 'string' && record.summary !== '') entry.report = record.summary.slice(0, 300)
    result.entries.push(entry)
  }
  return result
}
