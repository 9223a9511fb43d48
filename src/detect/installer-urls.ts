// Downloads from where miner installers are published (intel: data/intel/installers.yaml). A
// listed host is found by one case-insensitive search over all of a container's texts; only
// around a hit is the URL read: its host (whole, `www.` or, for a host-only entry, any
// subdomain), port, and path, percent-decoded, lower-cased and with `.`/`..` segments resolved
// as curl does, then compared with the entry's path prefix at a segment boundary.

import type { InstallerEntry } from '../intel/types.ts'
import type { FieldText } from '../policy/api.ts'
import { isProse } from './data-context.ts'
import { isHostNameCharacter } from './host-spellings.ts'
import { safeQuote, subdomainsStart } from './signals.ts'
import { triePattern } from './trie-pattern.ts'

export interface InstallerDownload {
  field: string
  /** The URL as written, from its host on (no scheme, no credentials), shortened. */
  url: string
  entry: InstallerEntry
}

/** Give it the decoded payloads too (the signal scanner's `decoded`): `echo <base64> | base64 -d | sh` hides the URL. */
export type InstallerFinder = (texts: readonly FieldText[]) => InstallerDownload[]

interface HostEntries {
  /** Entries with a path prefix (segments without slashes at the ends), longest first. */
  paths: { segments: string; entry: InstallerEntry }[]
  /** An entry for the whole host: every path, and its subdomains too. */
  whole?: InstallerEntry
}

// A path is read up to this many characters: a longer one is not an installer URL anyone types.
const LONGEST_PATH = 4096

/** Where a URL's path ends: blanks, quotes, shell operators, a query or a fragment. */
function endsPath(code: number): boolean {
  // \t \n \r space " # & ' ) ; < > ? \ ` |
  return (
    code <= 32 ||
    code === 34 ||
    code === 35 ||
    code === 38 ||
    code === 39 ||
    code === 41 ||
    code === 59 ||
    code === 60 ||
    code === 62 ||
    code === 63 ||
    code === 92 ||
    code === 96 ||
    code === 124
  )
}

/** `%78mrig` is `xmrig` to the server: escapes are decoded (an invalid one is kept as written). */
function percentDecoded(path: string): string {
  if (!path.includes('%')) return path
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

/** The path as the server sees it: lower case (GitHub owners and repositories are), no empty or `.` segments, `..` resolved. */
export function normalisedPath(raw: string): string {
  const segments: string[] = []
  for (const segment of percentDecoded(raw).toLowerCase().split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  return segments.join('/')
}

function indexEntries(entries: readonly InstallerEntry[]): Map<string, HostEntries> {
  const hosts = new Map<string, HostEntries>()
  for (const entry of entries) {
    const prefix = entry.prefix.toLowerCase()
    const slash = prefix.indexOf('/')
    const host = slash === -1 ? prefix : prefix.slice(0, slash)
    const segments = slash === -1 ? '' : normalisedPath(prefix.slice(slash + 1))
    const known = hosts.get(host) ?? { paths: [] }
    if (segments === '') known.whole ??= entry
    else known.paths.push({ segments, entry })
    hosts.set(host, known)
  }
  for (const known of hosts.values()) known.paths.sort((a, b) => b.segments.length - a.segments.length)
  return hosts
}

/** The entry a path on a listed host falls under, if any. */
function entryFor(known: HostEntries, path: string): InstallerEntry | undefined {
  for (const { segments, entry } of known.paths) {
    if (path === segments || (path.startsWith(segments) && path.charCodeAt(segments.length) === 47)) return entry
  }
  return known.whole
}

/**
 * Env values that read as prose (a README, a chart's documentation value) mention URLs; they
 * run only through a command that expands them, and that command is read on its own.
 */
function isDocumentation(item: FieldText): boolean {
  return (item.field.startsWith('env[') || item.field.startsWith('envFrom[')) && !item.field.includes('-decoded)') && isProse(item.text)
}

/** Compiled once per policy load: a map by host and one search expression for every host. */
export function compileInstallerFinder(entries: readonly InstallerEntry[]): InstallerFinder {
  const hosts = indexEntries(entries)
  if (hosts.size === 0) return () => []
  const search = new RegExp(triePattern([...hosts.keys()]), 'gi')
  // The same without `g`: a test of it costs half an exec of the global one, and most texts fail it.
  const gate = new RegExp(search.source, 'i')

  // A text without a dot (most env values) can name no dotted host: one character search decides, when every listed host has a dot.
  const dotted = [...hosts.keys()].every((host) => host.includes('.'))
  const find = (item: FieldText, out: InstallerDownload[], seen: Set<InstallerEntry>) => {
    const { text } = item
    if (!gate.test(text)) return
    search.lastIndex = 0
    let floor = 0
    // Whether the text is documentation is asked only once a listed host is in it (most texts have none).
    let documentation: boolean | undefined
    for (let match = search.exec(text); match !== null; match = search.exec(text)) {
      const start = match.index
      let end = start + match[0].length
      // The whole host: `github.community` and `github.com.evil.net` are other hosts; `github.com.` is the same.
      if (end < text.length && isHostNameCharacter(text.charCodeAt(end))) {
        const trailingDot = text.charCodeAt(end) === 46 && (end + 1 === text.length || !isHostNameCharacter(text.charCodeAt(end + 1)))
        if (!trailingDot) continue
        end += 1
      }
      const hostStart = subdomainsStart(text, start, floor)
      const known = hosts.get(match[0].toLowerCase()) as HostEntries
      const subdomains = text.slice(hostStart, start).toLowerCase()
      // `evilgithub.com` is another host; `www.` is the same site; a host-only entry owns its subdomains.
      if (subdomains !== '' && (!subdomains.endsWith('.') || (subdomains !== 'www.' && known.whole === undefined))) continue
      let pathStart = end
      if (text.charCodeAt(pathStart) === 58) {
        pathStart += 1
        while (pathStart < text.length && text.charCodeAt(pathStart) >= 48 && text.charCodeAt(pathStart) <= 57) pathStart += 1
      }
      let pathEnd = pathStart
      const pathLimit = Math.min(text.length, pathStart + LONGEST_PATH)
      while (pathEnd < pathLimit && !endsPath(text.charCodeAt(pathEnd))) pathEnd += 1
      // The next search starts after this URL: a path is read once, however many host names it repeats.
      search.lastIndex = Math.max(search.lastIndex, pathEnd)
      floor = pathEnd
      const raw = text.slice(pathStart, pathEnd)
      // After the host comes a path (`/`), a port or nothing: `github.com:x` or `github.comfy` is no URL of it.
      if (raw !== '' && raw.charCodeAt(0) !== 47) continue
      const entry = entryFor(known, normalisedPath(raw))
      if (entry === undefined || seen.has(entry)) continue
      documentation ??= isDocumentation(item)
      if (documentation) return
      seen.add(entry)
      out.push({ field: item.field, url: safeQuote(text.slice(hostStart, pathEnd)), entry })
    }
  }

  return (texts) => {
    const out: InstallerDownload[] = []
    const seen = new Set<InstallerEntry>()
    for (const item of texts) {
      // The dot gate runs here, not in `find`: most texts then cost no call.
      if (item.configOnly !== true && (!dotted || item.text.includes('.'))) find(item, out, seen)
    }
    return out
  }
}
