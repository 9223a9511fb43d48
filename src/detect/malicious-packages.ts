// Matches installed packages against intel: names are compared the way each registry
// compares them (PyPI: PEP 503 normalisation; npm: lower case), versions exactly.
import type { PackageEntry } from '../intel/types.ts'
import { DECODER_NAMES, namesDecoder, UNHINTED_PAYLOAD } from './decoded-texts.ts'
import { ECOSYSTEMS, type Ecosystem, installerMention, installerPattern, type PackageInstall } from './package-installs.ts'

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

/** Which reads of a container's texts may find an install the index lists. */
export interface PlacesToLook {
  /** Some text names an installer of a listed ecosystem: read the command lines. */
  readonly lines: boolean
  /** Some text names a decoder or is long enough to be a payload: read the decoded payloads (decoded-texts.ts). */
  readonly payloads: boolean
}

/** The intel entry an install matches; compiled once per load. */
export interface PackageIndex {
  (install: PackageInstall): PackageEntry | undefined
  /**
   * False when no text names an installer of an ecosystem the index has entries for: a command
   * line made of these texts then installs nothing the index can match, and need not be built.
   */
  mayMatchIn(texts: readonly { readonly text: string }[]): boolean
  /** mayMatchIn for the command lines, and whether the texts may carry a payload to decode: one expression per text. */
  placesToLook(texts: readonly { readonly text: string }[]): PlacesToLook
}

const NOWHERE: PlacesToLook = Object.freeze({ lines: false, payloads: false })

/** Compiled once per load: a map from `ecosystem:name` to its entries. */
export function compilePackageIndex(entries: readonly PackageEntry[]): PackageIndex {
  const index = new Map<string, PackageEntry[]>()
  for (const entry of entries) {
    const key = `${entry.ecosystem}:${normaliseName(entry.ecosystem, entry.name)}`
    index.set(key, [...(index.get(key) ?? []), entry])
  }
  const versionMatches = (entry: PackageEntry, version: string | undefined) =>
    entry.versions.includes('*') || (version !== undefined && (entry.versions.includes(version) || entry.versions.includes(version.replace(/^v/, ''))))
  const lookup = (install: PackageInstall): PackageEntry | undefined => {
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
  // An OSV ecosystem no installer is read for (Maven, NuGet ...) can never match: it adds no word.
  const listedEcosystems = ECOSYSTEMS.filter((ecosystem: Ecosystem) => entries.some((entry) => entry.ecosystem === ecosystem))
  const mentions = installerMention(listedEcosystems)
  const mayMatchIn = (texts: readonly { readonly text: string }[]) => {
    for (const { text } of texts) if (mentions(text)) return true
    return false
  }
  const installers = installerPattern(listedEcosystems)
  // With nothing listed no read can match: a payload is decoded here only for its installs.
  if (installers === undefined) return Object.assign(lookup, { mayMatchIn, placesToLook: () => NOWHERE })
  const installerOrDecoder = new RegExp(`${installers}|${DECODER_NAMES}`, 'i')
  const placesToLook = (texts: readonly { readonly text: string }[]): PlacesToLook => {
    let lines = false
    let payloads = false
    for (const { text } of texts) {
      if (text.length >= UNHINTED_PAYLOAD) payloads = true
      // One expression per text: most name neither an installer nor a decoder.
      else if (!installerOrDecoder.test(text)) continue
      if (!lines && mentions(text)) lines = true
      if (!payloads && namesDecoder(text)) payloads = true
      if (lines && payloads) break
    }
    return lines || payloads ? { lines, payloads } : NOWHERE
  }
  return Object.assign(lookup, { mayMatchIn, placesToLook })
}
