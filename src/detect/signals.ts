// Finds the signs of a crypto-miner in the strings of a pod spec or a ConfigMap. Every list
// from the data file is compiled into one regular expression with a named group per kind, so
// a string is scanned once, whatever the length of the lists.
import { decodedTexts, namesDecoder, UNHINTED_PAYLOAD } from './decoded-texts.ts'
import { findDroppers } from './droppers.ts'
import { hostsAsResolved, isHostNameCharacter, mayHaveRespeltHosts } from './host-spellings.ts'
import { findIpDownloads } from './ip-literals.ts'
import { ReviewBudget } from './review-budget.ts'
import { findScriptDroppers } from './script-droppers.ts'
import { triePattern } from './trie-pattern.ts'
import { isBase58CheckAddress, isBech32 } from './wallets.ts'

export const SIGNAL_KINDS = [
  'miner-binary',
  'stratum-url',
  'pool-domain',
  'miner-flag',
  'wallet',
  'eth-wallet',
  'mining-port',
  'raw-ip-download',
  'download-to-shell',
  'decode-to-shell',
  'download-to-tmp',
  'exec-from-tmp',
  'miner-config',
  'miner-command-line',
] as const
export type SignalKind = (typeof SIGNAL_KINDS)[number]

export interface Signal {
  kind: SignalKind
  /** Where, relative to what was scanned: `args[3]`, `env[2].value`, `data["config.json"]`. */
  field: string
  /** Only the matched text, shortened and without credentials: env values hold secrets. */
  quote: string
  /** Found in text about miners (a rule, a block list, prose): a name there weighs nothing (data-context.ts). */
  inData?: boolean
}

export interface SignalLists {
  binaries: string[]
  poolDomains: string[]
  flags: string[]
  flagPrefixes: string[]
  algorithms: string[]
  ports: number[]
}

export interface Scoring {
  thresholds: { deny: number; warn: number }
  weights: Record<SignalKind, number>
  needsCompany: SignalKind[]
  /** Kinds whose distinct matches count more than once, up to this many times. */
  repeatable: Partial<Record<SignalKind, number>>
}

const LABELS: Record<SignalKind, string> = {
  'miner-binary': 'miner program',
  'stratum-url': 'stratum URL',
  'pool-domain': 'mining pool',
  'miner-flag': 'miner flag',
  wallet: 'wallet address',
  'eth-wallet': 'Ethereum-style address',
  'mining-port': 'mining port',
  'raw-ip-download': 'download from a bare IP address',
  'download-to-shell': 'download piped to a shell',
  'decode-to-shell': 'decoded text run by a shell',
  'download-to-tmp': 'download into a temporary directory',
  'exec-from-tmp': 'executable made in a temporary directory',
  'miner-config': 'miner configuration',
  'miner-command-line': 'miner command line',
}

const QUOTE_LENGTH = 80

/** Quotes a match: credentials in URLs are masked and long matches shortened. */
export function safeQuote(text: string): string {
  const masked = text.replace(/(\/\/)[^/@\s]*@/g, '$1***@')
  return masked.length <= QUOTE_LENGTH ? masked : `${masked.slice(0, QUOTE_LENGTH - 1)}…`
}

export interface ScannedText {
  field: string
  text: string
  /** A mounted file the container does not run: the scanner skips it; only a miner config is read from it. */
  configOnly?: boolean
}

/**
 * Scans texts, each with the field it came from, and adds what it finds to `found`. Every
 * character read, decoded payloads included, is charged to `budget` first (UnreviewableError past it).
 */
export type SignalScanner = (texts: readonly ScannedText[], found: Signal[], budget?: ReviewBudget, decodedOut?: ScannedText[]) => void

const BASE58 = '1-9A-HJ-NP-Za-km-z'
// Standard (4…) and subaddress (8…) addresses are 95 characters, integrated ones (4…) 106.
const MONERO = new RegExp(`^(?:[48][0-9AB][${BASE58}]{93}|4[${BASE58}]{105})$`)

/** Reports a signal found in the joined text: its kind, where it was found and the span quoted. */
type Report = (kind: SignalKind, index: number, quoteStart: number, quoteEnd: number) => void
/** One step of the scan: a single forward pass over the joined text (or its lower-cased copy, same length, when there is one). */
type Stage = (text: string, report: Report, lower: string | undefined) => void

/**
 * One regular expression behind a cheap test that says whether it can match at all. With
 * `lowerCased`, the expression (all lower case) runs case-sensitively on the lower-cased copy when there is one.
 */
function matcher(gate: (text: string) => boolean, groups: string[], kindOf: (match: RegExpExecArray) => SignalKind | undefined, lowerCased = false): Stage {
  const anyCase = new RegExp(groups.join('|'), 'gi')
  const exactCase = lowerCased ? new RegExp(groups.join('|'), 'g') : anyCase
  return (original, report, lower) => {
    const useLower = lowerCased && lower !== undefined
    const pattern = useLower ? exactCase : anyCase
    const text = useLower ? lower : original
    if (!gate(text)) return
    pattern.lastIndex = 0
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const kind = kindOf(match)
      if (kind !== undefined) report(kind, match.index, match.index, match.index + match[0].length)
    }
  }
}

// IP literals in any base (ip-literals.ts); a bare address only counts where curl or wget could
// fetch it. A rule, not only a gate: the ungated scanner keeps it.
const ipDownloads: Stage = (text, report) => {
  if (!text.includes('://') && !text.includes('/dev/') && !text.includes('curl') && !text.includes('wget')) return
  findIpDownloads(text, (index, end) => report('raw-ip-download', index, index, end))
}

// Shell droppers (droppers.ts) and script droppers (script-droppers.ts), each behind its gate.
function shellDroppers(gates: typeof dropperGates): Stage {
  return (text, report, lower) => {
    const { droppers, scripts } = gates(text, lower)
    if (droppers) findDroppers(text, (kind, index, end) => report(kind, index, index, end))
    if (scripts) findScriptDroppers(text, (kind, index, end) => report(kind, index, index, end))
  }
}

/**
 * Whether findDroppers and findScriptDroppers can report anything in `text` (`lower`: its
 * lower-cased copy, if any), from literals every dropper they report holds. A dropper has a pipe
 * into a shell or a temporary directory (the download's or the chmod's target); a script dropper
 * has a parenthesis (`$(`, `<(`, `exec(`), a backtick, a temporary directory, or else a one-liner's
 * `eval`, `os.system` or `subprocess.`. String searches and two short regexes (the gate was a
 * regex for `[|>]|chmod|-o`, tried at every `-`).
 */
export function dropperGates(text: string, lower: string | undefined): { droppers: boolean; scripts: boolean } {
  // The dropper patterns ignore case; the one for a script run from /tmp does not, and a case-blind search covers it too.
  const tmp = lower === undefined ? TMP_DIRECTORY_ANY_CASE.test(text) : TMP_DIRECTORY.test(lower)
  return {
    droppers: tmp || text.includes('|'),
    scripts: tmp || text.includes('(') || text.includes('`') || (lower === undefined ? EXECUTES_WORD_ANY_CASE.test(text) : EXECUTES_WORD.test(lower)),
  }
}
// `/var/tmp/` holds `/tmp/`.
const TMP_DIRECTORY = /\/(?:tmp|dev\/shm)\//
const TMP_DIRECTORY_ANY_CASE = new RegExp(TMP_DIRECTORY.source, 'i')
// What a one-liner executes with where no parenthesis follows: `eval $x`, `eval get …`, `os.system`, `subprocess.`.
const EXECUTES_WORD = /eval|os\.system|subprocess\./
const EXECUTES_WORD_ANY_CASE = new RegExp(EXECUTES_WORD.source, 'i')

/**
 * Miner programs and pool domains: the word lists as one trie-shaped expression, tried only at
 * word starts (`\b`), with the stricter boundary before a word checked in code (a lookbehind at
 * every position would double the cost). A start refused there does not consume its match: a
 * listed word may begin inside it (`eu-monero.crypto-pool.fr` holds the listed `crypto-pool.fr`
 * behind the refused `monero.crypto-pool.fr`), and a program refused after a dot may still be the
 * start of a pool. Subdomains may stand before a listed domain (`xmr-eu1.nanopool.org`); they join the quote.
 */
function listedWords(binaries: readonly string[], domains: readonly string[]): Stage {
  const words = `\\b(?:(?<binary>${triePattern(binaries)})|(?<domain>${triePattern(domains)}))(?![\\w-])`
  const domain = `(?:${triePattern(domains)})(?![\\w-])`
  const anyCase = [new RegExp(words, 'gi'), new RegExp(domain, 'iy')] as const
  const exactCase = [new RegExp(words, 'g'), new RegExp(domain, 'y')] as const
  return (original, report, lower) => {
    const text = lower ?? original
    const [listed, pool] = lower === undefined ? anyCase : exactCase
    listed.lastIndex = 0
    let previousEnd = 0
    for (let match = listed.exec(text); match !== null; match = listed.exec(text)) {
      const { index } = match
      let kind: SignalKind = match.groups?.binary !== undefined ? 'miner-binary' : 'pool-domain'
      let end = index + match[0].length
      if (follows(text, index, kind === 'miner-binary')) {
        // Refused only for the dot before a program: the pool list may still match here.
        pool.lastIndex = index
        const domainMatch = kind === 'miner-binary' && !follows(text, index, false) ? pool.exec(text) : null
        if (domainMatch === null) {
          listed.lastIndex = index + 1
          continue
        }
        kind = 'pool-domain'
        end = index + domainMatch[0].length
        listed.lastIndex = end
      }
      report(kind, index, kind === 'pool-domain' ? subdomainsStart(text, index, previousEnd) : index, end)
      previousEnd = end
    }
  }
}

/** Whether the character before `index` is a word character, or `-` (or `.` when `dot`): the word lists' stricter boundary. */
function follows(text: string, index: number, dot: boolean): boolean {
  if (index === 0) return false
  const code = text.charCodeAt(index - 1)
  return isWordCharacter(code) || code === HYPHEN || (dot && code === DOT)
}

const [HYPHEN, DOT, UNDERSCORE] = ['-', '.', '_'].map((char) => char.charCodeAt(0))

function isWordCharacter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === UNDERSCORE
}

/** Checksum verdicts, remembered (up to a bound) so a text repeating one address-shaped token checks it once. */
function rememberedCheck(check: (text: string) => boolean): (text: string) => boolean {
  const verdicts = new Map<string, boolean>()
  return (text) => {
    let verdict = verdicts.get(text)
    if (verdict === undefined) {
      if (verdicts.size >= 4096) verdicts.clear()
      verdict = check(text)
      verdicts.set(text, verdict)
    }
    return verdict
  }
}

/**
 * What one checksum costs, in characters of the review budget at the scanner's ~2.8 ns a character
 * (node loop over 20,000 random tokens, fastest of 7): a base58 address ~5.1 µs (decoding and two
 * SHA-256), a bech32 one ~1.8 µs. Charged once per distinct token a scan checks, so a MiB of
 * distinct address-shaped tokens (some 30,000 checksums, ~150 ms) is refused for its cost.
 */
export const BASE58_CHECK_COST = 1_800
export const BECH32_CHECK_COST = 640

const always = (_text: string) => true
const allOpen = () => ({ droppers: true, scripts: true })

export interface ScannerOptions {
  /** Every stage runs on every text, its gate skipped: the reference the gates are proven against (tests). Rules (the bare-address one) stay. */
  ungated?: boolean
}

/**
 * The lists become a handful of regular expressions, each behind a gate (`://`, `|`, `-`, `:`)
 * that a plain string search answers; texts are joined and each expression runs once over them.
 */
export function compileSignalScanner(lists: SignalLists, options: ScannerOptions = {}): SignalScanner {
  const isBech32Wallet = rememberedCheck(isBech32)
  const isBase58Wallet = rememberedCheck(isBase58CheckAddress)
  // Each scan's budget is charged for the distinct tokens it checks. The remembered verdicts save the
  // work, not the charge, so whether an object fits the budget does not depend on earlier reviews.
  let scanBudget = new ReviewBudget()
  let checked = new Set<string>()
  const chargeChecksum = (token: string, cost: number) => {
    if (checked.has(token)) return
    checked.add(token)
    scanBudget.charge(cost)
  }
  const gate = <Gate>(check: Gate, open: Gate): Gate => (options.ungated === true ? open : check)
  const stages: Stage[] = [
    matcher(
      gate((text: string) => text.includes('://'), always),
      [`stratum\\d?\\+(?:tcp|ssl|tls|udp|ws|wss)://[^\\s'"\`;|&<>]+`],
      () => 'stratum-url',
      true,
    ),
    ipDownloads,
    shellDroppers(gate(dropperGates, allOpen)),
    matcher(
      gate((text: string) => text.includes('-'), always),
      [
        `(?<![\\w-])(?:-a|--algo|--algorithm|--coin)(?:\\s+|=)['"]?(?:${triePattern(lists.algorithms)})(?![\\w/-])`,
        // `--wallet.deterministic` is Ganache's, not a miner's `--wallet`: a dot continues the flag.
        `(?<![\\w-])(?:${triePattern(lists.flags)}|(?:${triePattern(lists.flagPrefixes)})[\\w-]+)(?![\\w.-])`,
      ],
      () => 'miner-flag',
      true,
    ),
    listedWords(lists.binaries, lists.poolDomains),
    matcher(
      always,
      [
        `(?<monero>(?<![0-9A-Za-z])[48][${BASE58}]{94}(?:[${BASE58}]{11})?(?![0-9A-Za-z]))`,
        `(?<dero>(?<![0-9A-Za-z])dero1[02-9ac-hj-np-z]{50,}(?![0-9A-Za-z]))`,
        `(?<bech32>(?<![0-9A-Za-z])bc1[02-9ac-hj-np-z]{11,71}(?![0-9A-Za-z]))`,
        `(?<base58>(?<![0-9A-Za-z])[13][${BASE58}]{25,34}(?![0-9A-Za-z]))`,
        `(?<eth>(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z]))`,
      ],
      (match) => {
        const { groups = {} } = match
        const text = match[0]
        if (groups.monero !== undefined) return MONERO.test(text) ? 'wallet' : undefined
        if (groups.dero !== undefined) return 'wallet'
        if (groups.bech32 !== undefined) {
          chargeChecksum(text, BECH32_CHECK_COST)
          return isBech32Wallet(text) ? 'wallet' : undefined
        }
        if (groups.base58 !== undefined) {
          chargeChecksum(text, BASE58_CHECK_COST)
          return isBase58Wallet(text) ? 'wallet' : undefined
        }
        return 'eth-wallet'
      },
    ),
    matcher(
      gate((text: string) => text.includes(':'), always),
      [`:(?:${lists.ports.join('|')})(?!\\d)`],
      () => 'mining-port',
      true,
    ),
  ]
  // `decodedOut`, when given, receives the payloads decoded here, for checks that read them too (installer URLs).
  return (given, found, budget = new ReviewBudget(), decodedOut) => {
    scanBudget = budget
    if (checked.size > 0) checked = new Set()
    // One joined text, so each expression runs once; a newline ends every dropper pattern.
    // Every character is charged before it is read: the sum first, then the join. Files read
    // only for a config (configOnly) are left out.
    let length = 0
    let longest = 0
    let configOnly = false
    for (const entry of given) {
      if (entry.configOnly === true) configOnly = true
      else {
        const size = entry.text.length
        length += size + 1
        if (size > longest) longest = size
      }
    }
    budget.charge(length)
    const texts = configOnly ? given.filter((entry) => entry.configOnly !== true) : given
    // Appending (a rope, flattened once by the first search) costs less than an array and join.
    let joined = ''
    for (const entry of texts) {
      joined += entry.text
      joined += '\n'
    }
    let all: readonly ScannedText[] = texts
    // Texts of one-byte characters lower-case without changing length or turning a non-ASCII
    // character into an ASCII one, so a case-sensitive search of the lower-cased copy finds what
    // a case-insensitive one finds, faster; any other text keeps the case-insensitive search.
    let lower = lowerCaseCopy(joined)
    // `echo <base64> | base64 -d | sh` hides the whole script (TeamTNT, Trend Micro 2021): read it too,
    // and hex, gzip+base64, reversed and printf-escaped payloads. A text naming a decoder is read for
    // shorter blobs; any other text only for long ones (short ids and names decode to noise).
    const hinted = namesDecoder(joined, lower)
    // Decoded (and charged) once per review for a container's texts, whichever policy asks first (decoded-texts.ts).
    const decoded = hinted || longest >= UNHINTED_PAYLOAD ? decodedTexts(given, budget, hinted) : []
    for (const decodedEntry of decoded) {
      if (all === texts) all = [...texts]
      ;(all as ScannedText[]).push(decodedEntry)
      decodedOut?.push(decodedEntry)
      joined += `${decodedEntry.text}\n`
      lower = undefined
    }
    // `pool.supportxmr。com`, fullwidth letters, a soft hyphen: IDNA looks up the listed host (host-spellings.ts).
    // Read such a text once more as looked up; the installer search reads it through `decodedOut` too.
    const chargeRead = (characters: number) => budget.charge(characters)
    if (options.ungated === true || mayHaveRespeltHosts(joined)) {
      const count = all.length
      for (let index = 0; index < count; index++) {
        const entry = all[index] as ScannedText
        const resolved = hostsAsResolved(entry.text, false, chargeRead)
        if (resolved === entry.text) continue
        budget.charge(resolved.length + 1)
        const respelt = { field: `${entry.field} (IDN-mapped)`, text: resolved }
        if (all === texts) all = [...texts]
        ;(all as ScannedText[]).push(respelt)
        decodedOut?.push(respelt)
        joined += `${resolved}\n`
        lower = undefined
      }
    }
    // curl and wget decode `%2e` in a URL's host (`raw%2egithubusercontent%2ecom`), miners do not: the
    // installer search alone reads the hosts unescaped, through `decodedOut`.
    if (decodedOut !== undefined && (options.ungated === true || joined.includes('%'))) {
      for (const entry of all) {
        if (!entry.text.includes('%')) continue
        const unescaped = hostsAsResolved(entry.text, true, chargeRead)
        if (unescaped === entry.text) continue
        budget.charge(unescaped.length + 1)
        decodedOut.push({ field: `${entry.field} (host-unescaped)`, text: unescaped })
      }
    }
    if (lower === undefined && all !== texts) lower = lowerCaseCopy(joined)
    // Where each text starts in the joined text, worked out at the first report: most scans report nothing.
    let starts: number[] | undefined
    const entryAt = (offset: number): ScannedText => {
      if (starts === undefined) {
        starts = []
        let start = 0
        for (const entry of all) {
          starts.push(start)
          start += entry.text.length + 1
        }
      }
      let low = 0
      let high = starts.length - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if ((starts[middle] as number) <= offset) low = middle
        else high = middle - 1
      }
      return all[low] as ScannedText
    }
    // A match is reported once per kind (scoring counts a quote once): one pool repeated 70,000 times is one signal.
    const seen = new Set<string>()
    const report: Report = (kind, index, start, end) => {
      const matched = joined.slice(start, end)
      const key = `${kind} ${matched.toLowerCase()}`
      if (seen.has(key)) return
      seen.add(key)
      found.push({ kind, field: entryAt(index).field, quote: safeQuote(matched) })
    }
    for (const stage of stages) stage(joined, report, lower)
  }
}

// A host name is at most 253 characters (RFC 1035); the walk back also stops where the previous
// match ended, or a run of `supportxmr.com.supportxmr.com.…` would be rescanned for every repetition.
const LONGEST_HOST_NAME = 253

/** Where the subdomains before a pool domain begin (`xmr-eu1.` in `xmr-eu1.nanopool.org`), looking back no further than `floor`. */
export function subdomainsStart(text: string, index: number, floor: number): number {
  const limit = Math.max(floor, index - LONGEST_HOST_NAME)
  let start = index
  while (start > limit && isHostNameCharacter(text.charCodeAt(start - 1))) start -= 1
  return start
}

/**
 * The lower-cased copy of a text of Latin-1 characters: the same length, and no character
 * outside ASCII becomes an ASCII one, so an ASCII pattern matched case-sensitively on it
 * matches where its case-insensitive form matches on the text. Undefined for any other text
 * (the Kelvin sign lower-cases to `k`, `İ` to two characters), which keeps the case-insensitive search.
 */
export function lowerCaseCopy(text: string): string | undefined {
  return text.length > LOWER_CASE_COPY_LIMIT || WIDE_CHARACTER.test(text) ? undefined : text.toLowerCase()
}
/**
 * Longer texts keep the case-insensitive search: V8 puts a string this large in its large-object
 * space, and one such copy (128 K characters: ~0.7 ms, against 23 µs for 64 K) costs more than the faster search saves.
 */
const LOWER_CASE_COPY_LIMIT = 64 * 1024
// A character outside Latin-1: the text is then not lower-cased (see the scanner).
const WIDE_CHARACTER = /[\u0100-\uffff]/

export interface Score {
  score: number
  action: 'deny' | 'warn' | undefined
  /** The signals that counted, strongest first. */
  signals: Signal[]
}

/**
 * Checks scoring data against SIGNAL_KINDS, the one list of kinds: a kind without a weight would
 * silently score 0, and a misspelt kind would never match.
 */
export function checkScoring(scoring: { weights: object; needsCompany: readonly string[]; repeatable: object; configMapWeights?: object }): void {
  const known = new Set<string>(SIGNAL_KINDS)
  const problems = SIGNAL_KINDS.filter((kind) => !Object.hasOwn(scoring.weights, kind)).map((kind) => `/weights has no weight for ${kind}`)
  const named = { weights: Object.keys(scoring.weights), needsCompany: scoring.needsCompany, repeatable: Object.keys(scoring.repeatable) }
  const all = scoring.configMapWeights === undefined ? named : { ...named, configMapWeights: Object.keys(scoring.configMapWeights) }
  for (const [field, kinds] of Object.entries(all)) {
    for (const kind of kinds) if (!known.has(kind)) problems.push(`/${field}: "${kind}" is not a signal kind (${SIGNAL_KINDS.join(', ')})`)
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
}

/** Kinds that are names: in text about miners they are mentions, not signs of one. */
const MENTIONS: ReadonlySet<SignalKind> = new Set(['miner-binary', 'pool-domain', 'mining-port', 'miner-flag', 'wallet', 'eth-wallet'])

export function scoreSignals(signals: readonly Signal[], scoring: Scoring): Score {
  const byKind = new Map<SignalKind, Signal[]>()
  for (const signal of signals) {
    if (!(scoring.weights[signal.kind] > 0)) continue
    if (signal.inData === true && MENTIONS.has(signal.kind)) continue
    const kept = byKind.get(signal.kind) ?? []
    const limit = scoring.repeatable[signal.kind] ?? 1
    if (kept.length < limit && !kept.some((other) => other.quote.toLowerCase() === signal.quote.toLowerCase())) kept.push(signal)
    byKind.set(signal.kind, kept)
  }
  const standalone = [...byKind.keys()].some((kind) => !scoring.needsCompany.includes(kind))
  const counted = [...byKind.values()].flat().filter((signal) => standalone || !scoring.needsCompany.includes(signal.kind))
  counted.sort((a, b) => scoring.weights[b.kind] - scoring.weights[a.kind])
  const score = counted.reduce((sum, signal) => sum + scoring.weights[signal.kind], 0)
  const action = score >= scoring.thresholds.deny ? 'deny' : score >= scoring.thresholds.warn ? 'warn' : undefined
  return { score, action, signals: counted }
}

export function describeSignal(signal: Signal): string {
  return `${signal.field}: ${LABELS[signal.kind]} "${signal.quote}"`
}

/** The finding a scoring policy reports: the score, the threshold crossed and each signal. */
export function signalViolations(found: readonly Signal[], scoring: Scoring): { field?: string; action: 'deny' | 'warn'; message: string }[] {
  const { action, score, signals } = scoreSignals(found, scoring)
  if (action === undefined) return []
  const threshold = action === 'deny' ? `refused at ${scoring.thresholds.deny}` : `warned at ${scoring.thresholds.warn}`
  return [{ field: signals[0]?.field, action, message: `crypto-miner signals scored ${score} (${threshold}): ${signals.map(describeSignal).join('; ')}` }]
}
