// Text about miners is not a miner: a YARA job that names xmrig, a block list of pools, a grep
// that hunts for stratum, a README with donation addresses. Signals found in such text weigh
// nothing when they are names (programs, pools, ports, flags, wallets); the strong signs (a
// stratum URL, a miner command line, a dropper, a decoded script run by a shell, a miner
// config) count wherever they are, so the context can excuse a mention, never a miner.
import { namesPoolAndAccount } from './miner-grammar.ts'

// Programs that read or hunt for miners: their arguments are rules and patterns, not commands.
const DETECTION_TOOLS = new Set([
  'yara',
  'yarac',
  'yr',
  'falco',
  'falcoctl',
  'suricata',
  'snort',
  'zeek',
  'clamscan',
  'clamdscan',
  'freshclam',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'osqueryi',
  'osqueryd',
  'trivy',
  'grype',
  'tracee',
  'tetragon',
  'chainsaw',
  'hayabusa',
  'loki',
  'thor-lite',
])
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox'])
const WORD = /[^\s'"]+/g

function baseName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1).toLowerCase()
}

/** The program a command line runs: its first word, or the first word of an `sh -c` script. */
export function programOf(line: string): string | undefined {
  WORD.lastIndex = 0
  const words: string[] = []
  for (let match = WORD.exec(line); match !== null && words.length < 4; match = WORD.exec(line)) words.push(match[0])
  const first = words[0]
  if (first === undefined) return undefined
  if (SHELLS.has(baseName(first)) && words[1] === '-c' && words[2] !== undefined) return baseName(words[2])
  return baseName(first)
}

// What may follow a detection tool in its line and keep it data: counting, printing, waiting,
// exiting, killing what was found. Not xargs or a shell: they run whatever comes next.
const AFTER_TOOLS = new Set([
  'wc',
  'head',
  'tail',
  'sort',
  'uniq',
  'cut',
  'tr',
  'echo',
  'printf',
  'true',
  'false',
  'exit',
  'test',
  '[',
  'cat',
  'sleep',
  'date',
  'kill',
  'pkill',
])

/** Ends a command outside quotes: `;`, `|`, newline, `(`, `)`, a backtick; `&` too, unless part of a redirection (`2>&1`, `&>`). */
function endsCommand(line: string, index: number): boolean {
  const code = line.charCodeAt(index)
  if (code === 59 || code === 124 || code === 10 || code === 40 || code === 41 || code === 96) return true
  return code === 38 && line.charCodeAt(index - 1) !== 62 && line.charCodeAt(index - 1) !== 60 && line.charCodeAt(index + 1) !== 62
}

/**
 * Whether every command after the first in `line` only counts, prints or exits (or hunts too):
 * `grep -q aes /proc/cpuinfo && /tmp/xmrig ...` is a miner's start script, not a detection tool.
 * One pass; quotes (`grep -E 'xmrig|minerd'`) and backslashes hide separators, as in the shell.
 */
function onlyToolsFollow(line: string): boolean {
  let quote = 0
  let commandStart = false
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index)
    if (quote !== 0) {
      if (code === quote) quote = 0
      else if (code === 92 && quote === 34) index++
      continue
    }
    if (code === 92) index++
    else if (code === 39 || code === 34) quote = code
    else if (endsCommand(line, index)) commandStart = true
    else if (commandStart && code > 32) {
      // The program of the next command: its first word, up to white space, a quote or a separator.
      let end = index
      while (end < line.length && line.charCodeAt(end) > 32 && line.charCodeAt(end) !== 39 && line.charCodeAt(end) !== 34 && !endsCommand(line, end)) end++
      const program = baseName(line.slice(index, end))
      if (!AFTER_TOOLS.has(program) && !DETECTION_TOOLS.has(program)) return false
      commandStart = false
      index = end - 1
    }
  }
  return true
}

/** A line that runs a detection tool and nothing else (what follows it only counts, prints or exits). */
export function isDetectionTool(line: string): boolean {
  const program = programOf(line)
  return program !== undefined && DETECTION_TOOLS.has(program) && onlyToolsFollow(line)
}

// A rule file named for a miner: `xmrig.yar`, `miners.rules`.
const RULE_FILE = /\.(?:yara?|rules|sig|ndb|hdb|ldb)\b/i
const LETTERS = /^[A-Za-z][a-z]+[,.:;!?)]*$/
const SENTENCE_END = /[.!?](?:\s|$)/

/**
 * Prose: mostly words, like a README or a chart's documentation value. A script has commands,
 * paths and flags between its few words.
 */
export function isProse(text: string): boolean {
  let words = 0
  let tokens = 0
  WORD.lastIndex = 0
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    tokens++
    if (LETTERS.test(match[0].replace(/^\(/, ''))) words++
  }
  return words >= 6 && (words / tokens >= 0.6 || SENTENCE_END.test(text))
}

/** Whether one text reads as data about miners: a rule file, prose, or a list naming at least three miners or pools. */
export function isDataText(text: string, distinctNames: number): boolean {
  return distinctNames >= 3 || RULE_FILE.test(text) || isProse(text)
}

const NAMES = new Set(['miner-binary', 'pool-domain'])
const MENTION_KINDS = new Set(['miner-binary', 'pool-domain', 'mining-port', 'miner-flag', 'wallet', 'eth-wallet'])

/** The command line a field belongs to: `command[3]` and `args[1]` to `command`, `env[2].value` to itself. */
export function lineOf(field: string): string {
  // Most fields have no ` (…)` note: the expression runs only on those that do.
  const base = field.includes(' (') ? field.replace(/ \(.*\)$/, '') : field
  if (base.startsWith('env[') || base.startsWith('volume ') || base.startsWith('envFrom[')) return base
  return base.replace(/\[\d+\]$/, '').replace(/^args$/, 'command')
}

interface MarkableSignal {
  kind: string
  field: string
  quote: string
  inData?: boolean
}

/**
 * Marks signals found in text about miners. `lines` are the container's command lines and
 * `connects[index]` is true for a line that connects to a pool (`-o host:port -u account`), which
 * is never data, and unset or false for the others; a line naming a pool without its port and an
 * account (`-o pool.example -u account`) is never data either.
 */
export function markDataContext(
  found: MarkableSignal[],
  texts: readonly { field: string; text: string }[],
  lines: readonly { field: string; text: string }[],
  connects: readonly boolean[],
): void {
  const mentions = found.filter((signal) => MENTION_KINDS.has(signal.kind))
  if (mentions.length === 0) return
  // Only the lines and texts a mention is in are read: a detection-tool check of every line (most
  // of them env values) cost more than the rest of a refused pod's review.
  const wanted = new Set(mentions.map((signal) => lineOf(signal.field)))
  const connecting = new Set<string>()
  const tools = new Set<string>()
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as { field: string; text: string }
    const key = lineOf(line.field)
    if (!wanted.has(key)) continue
    // A pool named without its port (xmrig's default is 3333) connects too; the grammar's `connects` leaves it out, since curl's `-o file -u user` reads the same.
    if (connects[index] === true || namesPoolAndAccount(line.text)) connecting.add(key)
    else if (!tools.has(key) && isDetectionTool(line.text)) tools.add(key)
  }
  const names = new Map<string, Set<string>>()
  for (const signal of found) {
    if (!NAMES.has(signal.kind)) continue
    const set = names.get(signal.field) ?? new Set()
    set.add(signal.quote.toLowerCase())
    names.set(signal.field, set)
  }
  // The last text of a field wins, as a map of every text would have it.
  const fields = new Set(mentions.map((signal) => signal.field))
  const textOf = new Map<string, string>()
  for (const text of texts) if (fields.has(text.field)) textOf.set(text.field, text.text)
  const dataFields = new Map<string, boolean>()
  for (const signal of mentions) {
    const line = lineOf(signal.field)
    if (connecting.has(line)) continue
    if (tools.has(line)) {
      signal.inData = true
      continue
    }
    let data = dataFields.get(signal.field)
    if (data === undefined) {
      const text = textOf.get(signal.field)
      data = text !== undefined && isDataText(text, names.get(signal.field)?.size ?? 0)
      dataFields.set(signal.field, data)
    }
    if (data) signal.inData = true
  }
}
