// Download-and-execute and decode-and-execute that are not a pipe: a command substitution run
// by `sh -c "$(curl …)"` or `eval "$(… | base64 -d)"`, a process substitution sourced by
// `. <(wget …)`, a script file run from /tmp, and the one-liners of Python, Perl, PHP and Node
// that fetch or decode and then exec/eval. Every pattern runs forward once; look-backs are
// bounded to a few characters and spans are checked against match positions found in one pass.
import { DECODER } from './droppers.ts'

export type ScriptDropperKind = 'download-to-shell' | 'decode-to-shell' | 'exec-from-tmp'
export type ScriptDropperReport = (kind: ScriptDropperKind, index: number, end: number) => void

const DOT = 46
const DOWNLOAD = /\b(?:curl|wget)\b|\/dev\/(?:tcp|udp)\//gi
const SUBSTITUTION = /\$\(|`/g
const PROCESS_SOURCE = /(?:^|[\s;&|])(?:\.|source)\s+<\(/gm
// What runs a substitution's output: `-c "`, `eval "`, or the substitution standing first in a command.
const EXECUTING_CONTEXT = /(?:-c|\beval)\s*["']?$|(?:^|[;&|(]|&&|\|\|)\s*["']?$/
const LOOK_BACK = 12
const RUN_FROM_TMP = /(?:^|[\s;&|(])(?:(?:ba|da|z|k|a)?sh|\.|source)\s+['"]?(?:\/tmp|\/var\/tmp|\/dev\/shm)\/[^\s'";|&]*/gm

// One-liners: something that executes text, and something that fetches or decodes it. Perl's
// string eval takes an expression with no parenthesis or space (`eval+get"…"`, `eval join"",<$s>`,
// `eval<$s>`, `eval do{local$/;<$s>}`); `eval {` runs a block, never text, and is not here.
// `.then(eval)` and `.on("data", exec)` hand the text to the executor as a callback.
const EXECUTES =
  /\b(?:system|popen|execSync|spawnSync)\s*\(|\bexec\s*[()]|\beval\s*(?:[()<+$]|pack|decode_base64|get|join|scalar|do\b)|\bos\.system\b|\bsubprocess\./gi
// `.exec(` is how JavaScript runs a regular expression (`/^Bearer (.+)$/.exec(h)`); as a method it
// runs a program only on Node's child_process or Python's builtins, which the text then names.
const METHOD_EXEC = /^exec/i
const RUNS_PROGRAMS = /child_process|builtins/
// Perl's `-MLWP::Simple` loads the module with no word break before its name: `-M` is its own
// alternative. `eval get …` evals what LWP::Simple's get fetched, also where `-M` is another argv item.
const FETCHES =
  /\b(?:urlopen|urlretrieve|requests\.get|urllib2?|LWP::|file_get_contents|https?\.get)\b|-MLWP::|\bget\s*\(\s*["']https?:|\beval\s*(?:[(+]\s*)?get\b|\bfetch\s*[(`]/gi
// A raw socket fetches too: Perl's and Python's `socket(`, `IO::Socket`, PHP's `fsockopen`, Python's
// `create_connection`, Node's `net.Socket(`, `(require("net").Socket)(`, `createConnection` and
// whatever `require("net")` connects; but only what is read from it can be run, so a line with
// a socket fetches where it also reads one (`.recv(`, `<$s>`, `"data"`, `read(`): a wait-for-port
// check beside `exec("touch /tmp/ready")` reads nothing.
const SOCKETS = /\b(?:IO::Socket|fsockopen|create_connection|createConnection)\b|-MIO::Socket\b|\bsocket\)?\s*\(|\brequire\s*\(\s*["'](?:node:)?net["']/gi
const SOCKET_READS = /\b(?:recv|recv_into|makefile|read|sysread|fgets|fread|stream_get_contents|readline)\s*\(|<\$?\w+>|["']data["']|\bfor\s+await\b/gi
const DECODES =
  /\b(?:b64decode|b32decode|a85decode|unhexlify|fromhex|decode_base64|base64_decode|gzinflate|atob)\b|\bpack\s*\(\s*["']H\*|Buffer\.from\s*\([^)]{0,200}['"](?:base64|hex)['"]/gi

/** Sorted match positions of a pattern, found in one pass. */
function positions(pattern: RegExp, text: string): number[] {
  const found: number[] = []
  for (const match of text.matchAll(pattern)) found.push(match.index)
  return found
}

/** Whether a sorted list holds a position in [from, to). */
function anyWithin(sorted: readonly number[], from: number, to: number): boolean {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((sorted[middle] as number) < from) low = middle + 1
    else high = middle
  }
  return low < sorted.length && (sorted[low] as number) < to
}

export function findScriptDroppers(text: string, report: ScriptDropperReport): void {
  const downloads = positions(DOWNLOAD, text)
  const decoders = positions(new RegExp(DECODER.source, DECODER.flags), text)
  // Where each substitution ends: the next `)` (or backtick), remembered so a run of `$(` does not search again.
  let closer = -1
  const endOf = (from: number, char: string) => {
    if (char === '`') {
      const end = text.indexOf('`', from)
      return end === -1 ? text.length : end
    }
    if (closer !== -2 && closer < from) closer = text.indexOf(')', from)
    if (closer === -1) closer = -2
    return closer === -2 ? text.length : closer
  }
  if (downloads.length > 0 || decoders.length > 0) {
    let openBacktick = false
    for (const match of text.matchAll(SUBSTITUTION)) {
      // A backtick closes as often as it opens: only opening ones start a substitution.
      if (match[0] === '`') {
        openBacktick = !openBacktick
        if (!openBacktick) continue
      }
      const start = match.index + match[0].length
      const before = text.slice(Math.max(0, match.index - LOOK_BACK), match.index)
      if (!EXECUTING_CONTEXT.test(before)) continue
      const end = endOf(start, match[0])
      if (anyWithin(decoders, start, end)) report('decode-to-shell', match.index, Math.min(end + 1, text.length))
      else if (anyWithin(downloads, start, end)) report('download-to-shell', match.index, Math.min(end + 1, text.length))
    }
    for (const match of text.matchAll(PROCESS_SOURCE)) {
      const start = match.index + match[0].length
      const end = endOf(start, '(')
      if (anyWithin(downloads, start, end)) report('download-to-shell', match.index, Math.min(end + 1, text.length))
    }
  }
  for (const match of text.matchAll(RUN_FROM_TMP)) report('exec-from-tmp', match.index, match.index + match[0].length)
  oneLiners(text, report)
}

/** A line that both executes text and fetches (or decodes) it is a dropper in a scripting language. */
function oneLiners(text: string, report: ScriptDropperReport): void {
  EXECUTES.lastIndex = 0
  const any = EXECUTES.test(text)
  EXECUTES.lastIndex = 0
  if (!any) return
  const fetches = positions(FETCHES, text)
  const sockets = positions(SOCKETS, text)
  const decodes = positions(DECODES, text)
  if (fetches.length === 0 && sockets.length === 0 && decodes.length === 0) return
  const socketReads = sockets.length === 0 ? sockets : positions(SOCKET_READS, text)
  const fetchesWithin = (from: number, to: number) => anyWithin(fetches, from, to) || (anyWithin(sockets, from, to) && anyWithin(socketReads, from, to))
  let lineStart = 0
  let lineEnd = -1
  let reportedLine = -1
  let runsPrograms: boolean | undefined
  for (const match of text.matchAll(EXECUTES)) {
    if (match.index > lineEnd) {
      lineStart = text.lastIndexOf('\n', match.index) + 1
      const next = text.indexOf('\n', match.index)
      lineEnd = next === -1 ? text.length : next
    }
    if (reportedLine === lineStart) continue
    if (text.charCodeAt(match.index - 1) === DOT && METHOD_EXEC.test(match[0])) {
      runsPrograms ??= RUNS_PROGRAMS.test(text)
      if (!runsPrograms) continue
    }
    const end = match.index + match[0].length
    if (anyWithin(decodes, lineStart, lineEnd)) report('decode-to-shell', match.index, end)
    else if (fetchesWithin(lineStart, lineEnd)) report('download-to-shell', match.index, end)
    else continue
    reportedLine = lineStart
  }
}
