// Builds one regular expression source from a word list, shaped as a trie: `xmrig|xmr-stak`
// becomes `xmr(?:ig|-stak)`. The regex engine then decides on each character once instead of
// trying every word in turn, which keeps a list of hundreds of words as fast as a few.

interface Node {
  children: Map<string, Node>
  end: boolean
}

function escapeCharacter(char: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(char) ? `\\${char}` : char
}

function source(node: Node): string {
  const branches = [...node.children].sort(([a], [b]) => (a < b ? -1 : 1)).map(([char, child]) => escapeCharacter(char) + source(child))
  if (branches.length === 0) return ''
  const body = branches.length === 1 ? (branches[0] as string) : `(?:${branches.join('|')})`
  if (!node.end) return body
  // A word that ends here may also go on: make the rest optional.
  return `(?:${body})?`
}

/** Regex source matching exactly the (lower-cased) words; use with the `i` flag for case-insensitivity. */
export function triePattern(words: readonly string[]): string {
  const root: Node = { children: new Map(), end: false }
  for (const word of new Set(words.map((item) => item.toLowerCase()))) {
    if (word === '') continue
    let node = root
    for (const char of word) {
      let child = node.children.get(char)
      if (child === undefined) {
        child = { children: new Map(), end: false }
        node.children.set(char, child)
      }
      node = child
    }
    node.end = true
  }
  const pattern = source(root)
  return pattern === '' ? '(?!)' : pattern
}
