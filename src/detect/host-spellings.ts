// Host names as they are looked up, not as they are written (docs/detection.md, "Host
// spellings"). IDNA (UTS #46), which curl and wget apply through libidn2 and Python's and Node's
// resolvers apply too, reads `。` `．` `｡` as dots, fullwidth and other compatibility letters as
// ASCII, and drops soft hyphens and zero-width characters: `raw.githubusercontent。com` is
// raw.githubusercontent.com; Python's IDNA 2003 codec also reads `․` `﹒` `⒈` as NFKC does (dots).
// curl and wget also percent-decode a URL's host before that (`raw%2egithubusercontent%2ecom`).
// A host spelt so is read once more as it is looked up.

const SLASH = 47
const COLON = 58
const PERCENT = 37

// The characters besides `.` IDNA reads as label separators (UTS #46 maps them to U+002E).
const IDNA_OTHER_DOTS = [0x3002, 0xff0e, 0xff61] as const
const [IDEOGRAPHIC_DOT, FULLWIDTH_DOT, HALFWIDTH_DOT] = IDNA_OTHER_DOTS

/** A character IDNA reads as a label separator. */
function isDotLike(code: number): boolean {
  return code === 46 || code === IDEOGRAPHIC_DOT || code === FULLWIDTH_DOT || code === HALFWIDTH_DOT
}

/** A global regular expression matching any code point in `ranges`, written once as data. */
function anyOf(ranges: readonly (readonly [number, number])[]): RegExp {
  const escaped = (codePoint: number) => `\\u{${codePoint.toString(16)}}`
  const members = ranges.map(([first, last]) => (first === last ? escaped(first) : `${escaped(first)}-${escaped(last)}`))
  return new RegExp(`[${members.join('')}]`, 'gu')
}

/** A letter, digit, `.` or `-`: what a host name is made of. */
export function isHostNameCharacter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 46 || code === 45
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102)
}

// What UTS #46 maps to nothing (Unicode 16, Node 24's table; older tables ignore fewer, an
// over-read costs nothing), the joiners U+200C/U+200D that curl's transitional retry drops, and
// U+1806 that Python's IDNA 2003 codec drops (`git᠆hub.com` is github.com to it; UTS #46 refuses it).
// Held to Node's domainToASCII for every code point by test/detect/host-spellings.test.ts.
const IGNORED_RANGES: readonly (readonly [number, number])[] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x1806, 0x1806],
  [0x180b, 0x180f],
  [0x200b, 0x200d],
  [0x2060, 0x2064],
  [0x206a, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0100, 0xe01ef],
]
const IGNORED = anyOf(IGNORED_RANGES)
// Characters NFKC folds into a dot besides IDNA's three (U+2024 ONE DOT LEADER, `⒈` is `1.`): UTS #46
// refuses them, Python's `idna` codec (IDNA 2003: NFKC, Unicode 3.2) reads all but U+FE19 and U+1F100 so.
const FOLDS_TO_DOT: readonly (readonly [number, number])[] = [
  [0x2024, 0x2026],
  [0x2488, 0x249b],
  [0x33c2, 0x33c2],
  [0x33c7, 0x33c7],
  [0x33d8, 0x33d8],
  [0xfe19, 0xfe19],
  [0xfe30, 0xfe30],
  [0xfe52, 0xfe52],
  [0x1f100, 0x1f100],
]
const FOLDING_TO_DOT = anyOf(FOLDS_TO_DOT)
const IDNA_DOTS = anyOf(IDNA_OTHER_DOTS.map((code) => [code, code] as const))
const ASCII_HOST = /^[a-z0-9.-]+$/
const ASCII_LABEL = /^[a-z0-9-]*$/
const ASCII_TEXT = /^[\0-\x7f]*$/
// A character beyond Latin-1: the test is free on a one-byte string, where V8 knows there is none.
const WIDE = /[\u0100-\uffff]/
// The Latin-1 characters IDNA maps into an ASCII label: ª ² ³ ¹ º, and the soft hyphen it drops.
const LATIN1_MAPPED = ['\u00aa', '\u00ad', '\u00b2', '\u00b3', '\u00b9', '\u00ba']
// 253 characters is the longest DNS name; an astral letter takes two code units.
const LONGEST_HOST_UNITS = 2 * 253
// What reading runs costs, in characters of the review budget, at the scanner's ~2.8 ns per character
// (node micro-benchmark of hostsAsResolved over 100,000 runs, fastest of 21, 2-core machine at load 5-6):
/** Every run read: ~50 ns to find and shape a short one (`ж `). */
export const RUN_COST = 16
/** More for a run respelt without NFKC (dots swapped, ignored characters dropped, `%XX` decoded): ~140-210 ns in all. */
export const READ_COST = 64
/**
 * More again for a run folded (NFKC, lower case, a test): ~0.65 µs in all. 20,000 short fullwidth hosts (80 K
 * characters) are refused for their cost rather than read.
 */
export const FOLD_COST = 256

/**
 * Code points IDNA may map into an ASCII host, drop, or read as a dot: a superset of NFKC's
 * ASCII-bound letters, digits and dots, UTS #46's ignored ones and the three dots, in ranges
 * (test/detect/host-spellings.test.ts derives the exact set and holds these to it).
 */
const MAY_MAP: readonly (readonly [number, number])[] = [
  [0xaa, 0xba],
  [0x132, 0x133],
  [0x17f, 0x17f],
  [0x1c7, 0x1f3],
  [0x2b0, 0x2e3],
  [0x34f, 0x34f],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x1806, 0x1806],
  [0x180b, 0x180f],
  [0x1d2c, 0x1dbb],
  [0x1e9e, 0x1e9e],
  [0x200b, 0x200d],
  [0x2024, 0x2026],
  [0x2060, 0x2064],
  [0x206a, 0x20a8],
  [0x2102, 0x217f],
  [0x2460, 0x24ea],
  [0x2c7c, 0x2c7d],
  [0x3002, 0x3002],
  [0x3164, 0x3164],
  [0x3250, 0x325f],
  [0x32b1, 0x32cf],
  [0x3371, 0x33ff],
  [0xa7f1, 0xa7f4],
  [0xfb00, 0xfb06],
  [0xfe00, 0xfe0f],
  [0xfe19, 0xfe63],
  [0xfeff, 0xfeff],
  [0xff0d, 0xff61],
  [0xffa0, 0xffa0],
  [0x107a5, 0x107a5],
  [0x1bca0, 0x1bca3],
  [0x1ccd6, 0x1ccf9],
  [0x1d173, 0x1d17a],
  [0x1d400, 0x1d6a3],
  [0x1d7ce, 0x1d7ff],
  [0x1f100, 0x1f190],
  [0x1fbf0, 0x1fbf9],
  [0xe0100, 0xe01ef],
]

/** Whether `codePoint` is in one of the sorted `ranges`. */
function inRanges(ranges: readonly (readonly [number, number])[], codePoint: number): boolean {
  let low = 0
  let high = ranges.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const [first, last] = ranges[middle] as readonly [number, number]
    if (codePoint < first) high = middle - 1
    else if (codePoint > last) low = middle + 1
    else return true
  }
  return false
}

export const mayMapIntoAsciiHost = (codePoint: number): boolean => inRanges(MAY_MAP, codePoint)

/** Whether `text` may hold a host that IDNA respells; false means hostsAsResolved returns `text` unchanged. */
export function mayHaveRespeltHosts(text: string): boolean {
  if (WIDE.test(text)) return true
  for (const character of LATIN1_MAPPED) if (text.includes(character)) return true
  return false
}

/** Runs of `%XX` decoded as UTF-8 (an invalid run stays as written); undefined where a decoded character cannot be in a host. */
function percentDecoded(run: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(run)
  } catch {
    // An escape that is no UTF-8 leaves a byte no host name holds: curl refuses the host.
    return undefined
  }
  // curl refuses a host with `/`, `%`, `:` or a blank once decoded (urlapi.c, hostname_check).
  return /[^A-Za-z0-9.\-\u0080-\uffff]/.test(decoded) ? undefined : decoded
}

interface RunShape {
  /** Labels IDNA could turn into ASCII ones: a name needs two. */
  viable: number
  /** `。` `．` `｡`: read as dots. */
  otherDots: boolean
  /** A character NFKC may fold into ASCII, one IDNA drops, or `ẞ`: the run is folded. */
  mapped: boolean
  /** `․` `⒈` `㏂`: NFKC folds them into text with a dot. */
  foldsToDot: boolean
  ignorable: boolean
  sharpS: boolean
}

/** What a run holds; undefined when it is longer than any host name. */
function shapeOf(host: string): RunShape | undefined {
  const shape: RunShape = { viable: 0, otherDots: false, mapped: false, foldsToDot: false, ignorable: false, sharpS: false }
  let labelViable = true
  let labelLength = 0
  let units = 0
  for (let index = 0; index < host.length; index++) {
    const code = host.charCodeAt(index)
    if (isDotLike(code)) {
      if (code !== 46) shape.otherDots = true
      if (labelViable && labelLength > 0) shape.viable++
      labelViable = true
      labelLength = 0
      if (++units > LONGEST_HOST_UNITS) return undefined
      continue
    }
    labelLength++
    if (code < 128) {
      if (++units > LONGEST_HOST_UNITS) return undefined
      continue
    }
    const codePoint = host.codePointAt(index) as number
    if (codePoint > 0xffff) index++
    if (!mayMapIntoAsciiHost(codePoint)) {
      labelViable = false
    } else if (inRanges(IGNORED_RANGES, codePoint)) {
      // Dropped before the name is measured: a run of soft hyphens is no longer a host.
      shape.ignorable = true
      continue
    } else if (inRanges(FOLDS_TO_DOT, codePoint)) {
      // Ends a label, as the dot it folds into does (`⒈`'s digit goes to the label before: over-read).
      shape.mapped = true
      shape.foldsToDot = true
      if (labelViable && labelLength > 0) shape.viable++
      labelViable = true
      labelLength = 0
    } else {
      shape.mapped = true
      if (codePoint === 0x1e9e) shape.sharpS = true
    }
    units += codePoint > 0xffff ? 2 : 1
    if (units > LONGEST_HOST_UNITS) return undefined
  }
  if (labelViable && labelLength > 0) shape.viable++
  return shape
}

/** The host as IDNA looks it up. */
function foldedHost(host: string, shape: RunShape): string {
  let dotted = shape.ignorable ? host.replace(IGNORED, '') : host
  if (shape.otherDots) dotted = dotted.replace(IDNA_DOTS, '.')
  // `ẞ` maps to `ss` in UTS #46; NFKC and lower case give `ß` (the one code point where they part).
  if (shape.sharpS) dotted = dotted.replaceAll('\u1e9e', 'ss')
  // Their dots first, so that the labels as written line up with the folded ones below.
  if (shape.foldsToDot) dotted = dotted.replace(FOLDING_TO_DOT, (character) => character.normalize('NFKC').toLowerCase())
  if (!shape.mapped) return dotted
  const folded = dotted.normalize('NFKC').toLowerCase()
  if (ASCII_HOST.test(folded)) return folded
  // A real IDN label stays as written beside the ones that fold into ASCII (NFKC keeps the dots where they are).
  const labels = dotted.split('.')
  return folded
    .split('.')
    .map((label, index) => (ASCII_TEXT.test(labels[index] as string) || !ASCII_LABEL.test(label) ? labels[index] : label))
    .join('.')
}

/** The host run as looked up, or undefined when it reads the same or cannot be a host. */
function runAsResolved(run: string, percent: boolean, charge: ((characters: number) => void) | undefined): string | undefined {
  // Charged before the work: every run is shaped, an escaped one decoded first.
  charge?.(percent ? RUN_COST + READ_COST : RUN_COST)
  const host = percent ? percentDecoded(run) : run
  if (host === undefined) return undefined
  const shape = shapeOf(host)
  // A name needs two labels (every listed host and pool has a dot): a program name is left alone.
  if (shape === undefined || shape.viable < 2) return undefined
  if (!percent) charge?.(READ_COST)
  if (shape.mapped) charge?.(FOLD_COST)
  const resolved = foldedHost(host, shape)
  return resolved === run ? undefined : resolved
}

/** Whether the character at `index` belongs to a host run: a letter, digit, `.`, `-`, any non-ASCII character, and (`percent`) a `%XX` escape. */
function inRun(text: string, index: number, percent: boolean): boolean {
  const code = text.charCodeAt(index)
  if (code >= 128 || isHostNameCharacter(code)) return true
  return percent && code === PERCENT && isHexDigit(text.charCodeAt(index + 1)) && isHexDigit(text.charCodeAt(index + 2))
}

const NON_ASCII = /[^\0-\x7f]/g
const ESCAPE = /%[0-9A-Fa-f]{2}/g

/**
 * `text` with each host spelt for IDNA (a run of host characters holding a non-ASCII one and two
 * labels that may fold into ASCII) as IDNA looks it up; with `percent`, hosts holding `%XX` escapes decoded first,
 * as curl's and wget's URL parsers do. A run after a lone `/` (not `:/`, which curl reads as
 * `://`) is a path segment, not a host, and stays. One pass: each run is read once, between the
 * previous run's end and the next. `charge` is given the cost of each run read (RUN_COST, READ_COST,
 * FOLD_COST) before it is read: the caller charges that work to its budget.
 */
export function hostsAsResolved(text: string, percent = false, charge?: (characters: number) => void): string {
  const find = percent ? ESCAPE : NON_ASCII
  let out = ''
  let copied = 0
  let scanned = 0
  find.lastIndex = 0
  for (let match = find.exec(text); match !== null; match = find.exec(text)) {
    let start = match.index
    while (start > scanned && inRun(text, start - 1, percent)) start--
    let end = match.index + 1
    while (end < text.length && inRun(text, end, percent)) end++
    scanned = end
    find.lastIndex = end
    // `https:/host` is a URL to curl (one slash after the scheme): a `/` after `:` opens no path.
    const before = start < 2 ? 0 : text.charCodeAt(start - 2)
    const pathSegment = start > 0 && text.charCodeAt(start - 1) === SLASH && before !== SLASH && before !== COLON
    const resolved = pathSegment ? undefined : runAsResolved(text.slice(start, end), percent, charge)
    if (resolved === undefined) continue
    out += text.slice(copied, start) + resolved
    copied = end
  }
  return copied === 0 ? text : out + text.slice(copied)
}
