// Matches whole words of a list inside names such as `docker.io/someone/xmrig-proxy`:
// `mine` must not match `minio`, `mint` or `mongo`, so a word ends at a separator.

const SEPARATOR = '[-_./:@\\s]'

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** One regular expression for the whole list, compiled once; separators in a word match any separator. */
export function tokenMatcher(words: readonly string[]): (text: string) => string | undefined {
  if (words.length === 0) return () => undefined
  const alternatives = [...new Set(words.map((word) => word.toLowerCase()))]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.split(/[-_.]/).map(escapeForRegExp).join('[-_.]?'))
  const pattern = new RegExp(`(?:^|${SEPARATOR})(${alternatives.join('|')})(?=$|${SEPARATOR})`, 'i')
  return (text) => pattern.exec(text)?.[1]
}
