// Finds droppers: a download piped to a shell, a download written into a temporary directory,
// a file made executable there. A lookbehind asking "was there a curl earlier in this command?"
// rescans the command for every `|` or `-o` (quadratic: 100 KB of `-o ` held the webhook 14 s);
// here each pattern runs forward once and a cursor remembers where the current command began.

const TMP = String.raw`(?:/tmp|/var/tmp|/dev/shm)/[^\s'";|&]*`
// `[rw]*x` before `[rwx]*`: the first x is found without backtracking over a run of x's.
const EXEC_FROM_TMP = new RegExp(String.raw`chmod\s+(?:[ugoa]*\+[rw]*x[rwx]*|[0-7]{3,4})\s+['"]?${TMP}`, 'gi')
// A pipe into a shell or a script interpreter, by name or path (`| /bin/sh`, `| busybox sh`, `| python3`).
const SHELL_PIPE = /\|\s*(?:sudo\s+)?(?:(?:\/usr)?\/bin\/|busybox\s+)?(?:(?:ba|da|z|k|a)?sh|python[23]?|perl|php|node|ruby)\b/gi
// With the `i` flag `-o` is also wget's `-O`.
const OUTPUT_TO_TMP = new RegExp(String.raw`(?:-o|--output(?:-document)?|>)\s*['"]?${TMP}`, 'gi')
// bash's /dev/tcp is a downloader when curl and wget are absent (TeamTNT), and so is reading
// the descriptor it was opened on (`<&3`).
const DOWNLOADER = /(?:curl|wget)\b|\/dev\/(?:tcp|udp)\/|<&\s*[3-9]\b/gi
/**
 * What turns text into a script: base64/base32 decoding, openssl's base64, xxd's reverse hex
 * dump, decompression, rev, printf or echo -e with escapes. Piped into a shell, whatever it
 * decodes is hidden from review, so the pipe itself is refused.
 */
export const DECODER =
  /\b(?:base(?:64|32)\s+-(?:d|-decode|D|di|id)\b|openssl\s+(?:enc|base64)\b|xxd\s+-(?:r|pr\b|p\s+-r)|gunzip\b|zcat\b|(?:gzip|bzip2|xz)\s+-d\b|bunzip2\b|unxz\b|rev\b|uudecode\b|(?:printf|echo\s+-e)\s+['"]?(?:\\x[0-9a-fA-F]{2}|\\[0-7]{3}))/gi

type Delimiter = (code: number) => boolean
const [NEWLINE, PIPE, SEMICOLON, AMPERSAND] = ['\n', '|', ';', '&'].map((char) => char.charCodeAt(0))
/** A shell command ends at a newline, `;`, `&` or a pipe; a pipeline (for base64) at a newline or a pipe. */
const commandEnd: Delimiter = (code) => code === NEWLINE || code === PIPE || code === SEMICOLON || code === AMPERSAND
const pipelineEnd: Delimiter = (code) => code === NEWLINE || code === PIPE

export type DropperKind = 'download-to-shell' | 'decode-to-shell' | 'download-to-tmp' | 'exec-from-tmp'

/** Called for each dropper found, with the span of its tell-tale part. */
export type DropperReport = (kind: DropperKind, index: number, end: number) => void

/**
 * Answers, for positions that only grow, whether `pattern` matched inside the stretch that
 * began after the last delimiter: each character and each match is looked at once.
 */
class SeenSinceDelimiter {
  readonly #text: string
  readonly #pattern: RegExp
  readonly #delimiter: Delimiter
  #scanned = 0
  #lastDelimiter = -1
  #lastMatchEnd = -1
  #pending: RegExpExecArray | null | undefined

  constructor(text: string, pattern: RegExp, delimiter: Delimiter) {
    this.#text = text
    this.#pattern = new RegExp(pattern.source, pattern.flags)
    this.#delimiter = delimiter
  }

  /** Whether a match ended at or before `position` with no delimiter between it and `position`. */
  before(position: number): boolean {
    for (; this.#scanned < position; this.#scanned++) {
      if (this.#delimiter(this.#text.charCodeAt(this.#scanned))) this.#lastDelimiter = this.#scanned
    }
    for (;;) {
      if (this.#pending === undefined) this.#pending = this.#pattern.exec(this.#text)
      const match = this.#pending
      if (match === null || match.index + match[0].length > position) break
      this.#lastMatchEnd = match.index + match[0].length
      this.#pending = undefined
    }
    return this.#lastMatchEnd > this.#lastDelimiter
  }
}

/** Matches one at a time, so a text of a million pipes never holds a million match arrays. */
function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const cursor = new RegExp(pattern.source, pattern.flags)
  for (let match = cursor.exec(text); match !== null; match = cursor.exec(text)) yield match
}

/** Reports every dropper in `text`: pipes to a shell first, then downloads into tmp, then chmods. */
export function findDroppers(text: string, report: DropperReport): void {
  // `curl … | sh`: a downloader in the same command; `base64 -d … | sh`: a decoder in the same pipeline.
  const downloaderBeforePipe = new SeenSinceDelimiter(text, DOWNLOADER, commandEnd)
  const decoderBeforePipe = new SeenSinceDelimiter(text, DECODER, pipelineEnd)
  for (const match of matchesOf(SHELL_PIPE, text)) {
    // Both cursors must advance on every pipe, so neither is short-circuited.
    const downloaded = downloaderBeforePipe.before(match.index)
    const decoded = decoderBeforePipe.before(match.index)
    if (decoded) report('decode-to-shell', match.index, match.index + match[0].length)
    else if (downloaded) report('download-to-shell', match.index, match.index + match[0].length)
  }
  const downloaderBeforeOutput = new SeenSinceDelimiter(text, DOWNLOADER, commandEnd)
  for (const match of matchesOf(OUTPUT_TO_TMP, text)) {
    if (downloaderBeforeOutput.before(match.index)) report('download-to-tmp', match.index, match.index + match[0].length)
  }
  for (const match of matchesOf(EXEC_FROM_TMP, text)) report('exec-from-tmp', match.index, match.index + match[0].length)
}
