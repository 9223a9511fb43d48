// The cheap triggers that let the scanner skip work (detection cost, issue 13 item 7) are
// attacked here: every text a skipped step would have read must still be read. A prefilter is
// only sound when it is a superset of what its step matches, whatever the escapes, case or spacing.
import fc from 'fast-check'
import t from 'tap'
import { namesDecoder } from '../../src/detect/decoded-texts.ts'
import { envCommandLine } from '../../src/detect/miner-grammar.ts'
import { compileSignalScanner, lowerCaseCopy, type Signal } from '../../src/detect/signals.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const scan = compileSignalScanner(await defaultSignalData())

function kindsIn(texts: string[]): string[] {
  const found: Signal[] = []
  scan(
    texts.map((text, index) => ({ field: `env[${index}].value`, text })),
    found,
  )
  return found.map(({ kind, field }) => `${kind} ${field}`)
}

const b64 = (text: string) => Buffer.from(text).toString('base64')
// The reference: the case-insensitive expression the faster decoder-word search replaces.
const DECODE_HINT = /base64|base32|b64decode|xxd|\brev\b|printf|pack\(|unhexlify|fromhex|openssl/i

t.test('a decoder named in any case, after a run of its first letter, or beside non-Latin text is still a hint', async (t) => {
  const payload = b64('xmrig --donate-level=1')
  for (const decoder of [
    'BASE64 -D',
    'Base64 --decode',
    'XXD -r -p',
    'xxxxxxxd -r -p',
    'OpenSSL enc -d -a',
    'REV',
    'python3 -c "import base64; base64.B64DECODE(x)"',
  ]) {
    for (const neighbour of ['', 'caf\u00e9 \u00c9T\u00c9', 'K\u212a \u0130 \u{1f600}']) {
      t.same(
        kindsIn([payload, `echo $P | ${decoder} > /dev/null`, neighbour]),
        ['miner-flag env[0].value (base64-decoded)', 'miner-binary env[0].value (base64-decoded)'],
        `${decoder} / ${JSON.stringify(neighbour)}`,
      )
    }
  }
  t.same(kindsIn([payload, 'prev revision reverse']), [], 'rev only as a word')
})

t.test('the decoder-word search agrees with the case-insensitive expression on any text', async (t) => {
  const piece = fc.oneof(
    fc.constantFrom(
      'base64',
      'BASE32',
      'b64Decode',
      'xxd',
      'XxD',
      'x',
      'xx',
      'd',
      'rev',
      'Rev',
      'prev',
      'revs',
      '_rev',
      'printf',
      'pack(',
      'PACK (',
      'unhexlify',
      'UnHexlify',
      'hexlify',
      'nhexlify',
      'fromHex',
      'openssl',
      'OpenSSL',
      'opensl',
      'penssl',
      'o',
      'p',
      'y',
    ),
    fc.constantFrom(' ', '-', '_', '.', '\n', '\u00e9', '\u00c9', '\u212a', '\u0130', '\u{1f600}'),
    fc.string({ maxLength: 6 }),
  )
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const text = pieces.join('')
        return namesDecoder(text, lowerCaseCopy(text)) === DECODE_HINT.test(text)
      }),
      { seed: 20261202, numRuns: fuzzRuns(1000) },
    ),
  )
})

t.test('a lower-cased copy is only made where it keeps every length and every non-ASCII character', async (t) => {
  t.equal(lowerCaseCopy('XMRig caf\u00c9'), 'xmrig caf\u00e9')
  t.equal(lowerCaseCopy('\u212amrig'), undefined, 'the Kelvin sign would become an ASCII k')
  t.equal(lowerCaseCopy('\u0130'), undefined, 'a dotted capital I becomes two characters')
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
      const lower = lowerCaseCopy(text)
      if (lower === undefined) return true
      if (lower.length !== text.length) return false
      for (let index = 0; index < text.length; index++) {
        const ascii = text.charCodeAt(index) < 128
        if (ascii !== lower.charCodeAt(index) < 128) return false
      }
      return true
    }),
    { seed: 20261202, numRuns: fuzzRuns(1000) },
  )
})

t.test('miner names and pools are found in any ASCII case, beside Latin-1 or wider characters alike', async (t) => {
  const texts = ['/tmp/XMRig', 'xmr-eu1.NanoPool.org:14444', 'XMRIG-notls --url x']
  const expected = kindsIn(texts)
  t.not(expected.length, 0)
  for (const neighbour of ['caf\u00e9 \u00c9T\u00c9', 'K\u212a \u0130 \u{1f600}']) {
    t.same(kindsIn([...texts, neighbour]), expected, JSON.stringify(neighbour))
  }
  t.same(kindsIn(['\u212amrig']).length, 0, 'a program name with a Kelvin sign is another name, as before')
})

t.test('env names that spell miner options are read whatever else the env holds', async (t) => {
  const env = [
    { name: 'SETTING_1', value: 'x' },
    { name: 'POOL_URL', value: 'pool.example.net:3333' },
    { name: 'WALLET', value: '4abc' },
    { name: 'donate_level', value: '1' },
    { name: 'POOL_PASS', value: 'has space' },
  ]
  t.equal(envCommandLine(env), '--url=pool.example.net:3333 --user=4abc --donate-level=1 ', 'names in any case, as before the first-letter check')
})

t.test('a text too long to copy cheaply keeps the case-insensitive search and still finds what a short one does', async (t) => {
  const filler = 'a'.repeat(70 * 1024)
  t.equal(lowerCaseCopy(filler), undefined, 'no lower-cased copy of 70 K characters')
  const payload = b64('xmrig --donate-level=1')
  t.same(
    kindsIn([payload, `${filler} echo $P | BASE64 -D > /dev/null`]),
    ['miner-flag env[0].value (base64-decoded)', 'miner-binary env[0].value (base64-decoded)'],
    'an upper-case decoder word in a long text is still a hint',
  )
  t.match(kindsIn([`${filler} STRATUM+TCP://pool.example:3333`]).join(' '), /stratum-url env\[0\]\.value/)
})
