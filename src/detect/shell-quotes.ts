// The shell removes quotes and backslashes before a program sees its words: `x''mrig`,
// `raw.githubusercontent"."com` and `-\o` reach the program as `xmrig`, `raw.githubusercontent.com`
// and `-o`. A script that hides a name that way is read once more, as the shell reads it.

const SINGLE = 39
const DOUBLE = 34
const BACKSLASH = 92
const NEWLINE = 10
/** What a backslash escapes inside double quotes (POSIX 2.2.3); before anything else it stays. */
const ESCAPED_IN_DOUBLE = new Set([36, 96, DOUBLE, BACKSLASH, NEWLINE])

/** Whether `text` has a quote or a backslash at all: most command and args items have none. */
export function mayHaveShellQuotes(text: string): boolean {
  return text.includes("'") || text.includes('"') || text.includes('\\')
}

/**
 * `text` with its quotes and backslashes removed the way sh does it (single quotes keep everything,
 * double quotes keep all but `\\$`, `` \\` ``, `\\"`, `\\\\`, and a backslash-newline joins two lines).
 * One pass; an unclosed quote runs to the end, as it would (the shell would refuse to run it).
 */
export function shellUnquoted(text: string): string {
  let out = ''
  let from = 0
  let quote = 0
  const cut = (index: number, resume: number) => {
    out += text.slice(from, index)
    from = resume
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (quote === SINGLE) {
      if (code === SINGLE) {
        cut(index, index + 1)
        quote = 0
      }
    } else if (code === BACKSLASH && (quote === 0 || ESCAPED_IN_DOUBLE.has(text.charCodeAt(index + 1)))) {
      // A backslash-newline is removed whole; any other escaped character stays.
      cut(index, text.charCodeAt(index + 1) === NEWLINE ? index + 2 : index + 1)
      index++
    } else if (code === quote) {
      cut(index, index + 1)
      quote = 0
    } else if (quote === 0 && (code === SINGLE || code === DOUBLE)) {
      cut(index, index + 1)
      quote = code
    }
  }
  return out + text.slice(from)
}
