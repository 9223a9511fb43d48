// The signal scanner remembers checksum verdicts so a text repeating one address-shaped token checks
// it once; the memory is bounded (it starts over past 4,096 tokens). Past that bound every token
// must still be judged exactly as before: no fake counts as a wallet, a real address still does.
import t from 'tap'
import { compileSignalScanner, type Signal } from '../../src/detect/signals.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const scan = compileSignalScanner(await defaultSignalData())
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const GENESIS = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'

/** A different 34-character address-shaped token for each index; its checksum fails. */
function fake(index: number): string {
  let token = '1'
  for (let char = 0, seed = index * 7919 + 17; char < 33; char++, seed = (seed * 31 + char) % 1_000_003) token += BASE58[seed % 58]
  return token
}

function scanText(text: string): Signal[] {
  const found: Signal[] = []
  scan([{ field: 'args[0]', text }], found)
  return found
}

t.test('past the remembered verdicts, 5,000 fake addresses are still no wallet and the genesis address still is', async (t) => {
  const found: Signal[] = []
  for (let batch = 0; batch < 50; batch++) {
    const tokens = Array.from({ length: 100 }, (_, index) => fake(batch * 100 + index))
    found.push(...scanText(tokens.join(' ')))
  }
  t.same(found, [], 'no fake counts')
  t.same(
    scanText(`${fake(0)} ${GENESIS} ${fake(4999)}`).map(({ kind, quote }) => ({ kind, quote })),
    [{ kind: 'wallet', quote: GENESIS }],
  )
})
