// Matches installed packages against intel: names are compared the way each registry
// compares them (PyPI: PEP 503 normalisation; npm: lower case), versions exactly.
import type { PackageEntry } from '../intel/types.ts'
import type { PackageInstall } from './package-installs.ts'

function normaliseName(ecosystem: string, name: string): string {
  if (ecosystem === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-')
  if (ecosystem === 'Go') return name
  return name.toLowerCase()
}

/** How a denial names an install: `ultralytics 8.3.41 (PyPI)`, or without a version when none was asked for. */
export function describeInstall(install: PackageInstall): string {
  return `${install.name}${install.version === undefined ? '' : ` ${install.version}`} (${install.ecosystem})`
}

export interface PackageMatch {
  install: PackageInstall
  entry: PackageEntry
}

/** Compiled once per load: a map from `ecosystem:name` to its entries. */
export function compilePackageIndex(entries: readonly PackageEntry[]): (install: PackageInstall) => PackageEntry | undefined {
  const index = new Map<string, PackageEntry[]>()
  for (const entry of entries) {
    const key = `${entry.ecosystem}:${normaliseName(entry.ecosystem, entry.name)}`
    index.set(key, [...(index.get(key) ?? []), entry])
  }
  const versionMatches = (entry: PackageEntry, version: string | undefined) =>
    entry.versions.includes('*') || (version !== undefined && (entry.versions.includes(version) || entry.versions.includes(version.replace(/^v/, ''))))
  return (install) => {
    const names = [normaliseName(install.ecosystem, install.name)]
    // `go install github.com/a/b/cmd/c@v1` installs from module `github.com/a/b`: try each parent path.
    if (install.ecosystem === 'Go')
      for (let slash = install.name.lastIndexOf('/'); slash > 0; slash = install.name.lastIndexOf('/', slash - 1)) names.push(install.name.slice(0, slash))
    for (const name of names) {
      const found = index.get(`${install.ecosystem}:${name}`)?.find((entry) => versionMatches(entry, install.version))
      if (found !== undefined) return found
    }
    return undefined
  }
}
