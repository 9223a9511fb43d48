// Miner programs and pool domains are found at word starts, with a stricter boundary before them
// (not after a `-`, nor after a `.` for a program). A start refused there used to consume its
// match, which hid a listed word inside it: these are the attacks, and a reference that says
// what the scanner must find.
import fc from 'fast-check'
import t from 'tap'
import { compileSignalScanner, type Signal, safeQuote, subdomainsStart } from '../../src/detect/signals.ts'
import { triePattern } from '../../src/detect/trie-pattern.ts'

const binaries = ['xmrig', 'xmrig-proxy', 'minerd']
const poolDomains = ['crypto-pool.fr', 'monero.crypto-pool.fr', 'xmrig.example', 'pool.example']
const scan = compileSignalScanner({ binaries, poolDomains, flags: [], flagPrefixes: [], algorithms: [], ports: [] })

function wordsIn(text: string): string[] {
  const found: Signal[] = []
  scan([{ field: 'args[0]', text }], found)
  return found.filter(({ kind }) => kind === 'miner-binary' || kind === 'pool-domain').map(({ kind, quote }) => `${kind} ${quote}`)
}

t.test('a hyphenated label before a listed subdomain of a listed pool no longer hides the pool', async (t) => {
  t.same(wordsIn('eu-monero.crypto-pool.fr'), ['pool-domain eu-monero.crypto-pool.fr'])
  t.same(wordsIn('-o x-monero.crypto-pool.fr:3333'), ['pool-domain x-monero.crypto-pool.fr'])
  t.same(wordsIn('eu.monero.crypto-pool.fr'), ['pool-domain eu.monero.crypto-pool.fr'], 'a dotted label, as before')
})

t.test('a pool whose name begins with a program name is found after a dot', async (t) => {
  t.same(wordsIn('www.xmrig.example'), ['pool-domain www.xmrig.example'])
  t.same(wordsIn('https://eu1.xmrig.example/'), ['pool-domain eu1.xmrig.example'])
})

t.test('a program name inside a longer name is still not a program', async (t) => {
  for (const text of ['my-xmrig', 'lib.xmrig', 'notxmrig', 'xmrig_helper', 'x-minerd', 'crypto-pool.fr-mirror', 'my-crypto-pool.fr'])
    t.same(wordsIn(text), [], text)
  t.same(wordsIn('/usr/bin/xmrig --help'), ['miner-binary xmrig'])
  t.same(wordsIn('xmrig-proxy'), ['miner-binary xmrig-proxy'], 'the longest listed name')
})

// The reference: the stricter boundary written into the expression, so a refused start never matches at all.
const reference = new RegExp(`\\b(?<!-)(?:(?<binary>(?<!\\.)${triePattern(binaries)})|(?<domain>${triePattern(poolDomains)}))(?![\\w-])`, 'g')

function referenceWordsIn(text: string): string[] {
  const seen = new Set<string>()
  let previousEnd = 0
  for (const match of text.matchAll(reference)) {
    const end = match.index + match[0].length
    const domain = match.groups?.domain !== undefined
    const quote = text.slice(domain ? subdomainsStart(text, match.index, previousEnd) : match.index, end)
    seen.add(`${domain ? 'pool-domain' : 'miner-binary'} ${safeQuote(quote)}`)
    previousEnd = end
  }
  return [...seen]
}

t.test('over random texts of listed words, labels and separators, the scanner finds what the reference expression finds', async (t) => {
  const piece = fc.constantFrom(...binaries, ...poolDomains, 'monero', 'crypto', 'pool', 'eu', 'x', '1', '-', '.', '_', ' ', '/', ':', '\n')
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('')
        return JSON.stringify(wordsIn(text)) === JSON.stringify(referenceWordsIn(text))
      }),
      { seed: 20261202, numRuns: 5000 },
    ),
  )
})
