import t from 'tap'
import { podEnvironment } from '../../src/detect/container-sources.ts'
import { containerTexts } from '../../src/detect/container-text.ts'
import { findDroppers } from '../../src/detect/droppers.ts'
import { expandVariables } from '../../src/detect/expansion.ts'
import { hostsAsResolved } from '../../src/detect/host-spellings.ts'
import { minerConfigSigns } from '../../src/detect/miner-config.ts'
import { compileGrammar } from '../../src/detect/miner-grammar.ts'
import { packageInstalls } from '../../src/detect/package-installs.ts'
import { compileSignalScanner, type Signal, safeQuote } from '../../src/detect/signals.ts'
import { tokenMatcher } from '../../src/detect/token-matcher.ts'
import { triePattern } from '../../src/detect/trie-pattern.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { COSTLY_SMALL, GROWTH, growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } from '../helpers/linear-cost.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const data = await defaultSignalData()
const scan = compileSignalScanner(data)
const policySet = await loadPolicySet(new URL('../../policies/', import.meta.url).pathname)

function scanText(text: string): Signal[] {
  const found: Signal[] = []
  scan([{ field: 'args[0]', text }], found)
  return found
}

function podWithArg(arg: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', args: [arg] }] } }
}

function configMapWith(text: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { 'notes.txt': text } } as KubeObject
}

const KB100 = 100 * 1000

// What issue 10 measured freezing the server: each is admitted (nothing in it is a miner) and costs linearly.
const benignFloods: [string, (text: string) => KubeObject, string][] = [
  ['one pod arg', podWithArg, '-o '],
  ['a ConfigMap', configMapWith, '-o '],
  ['a ConfigMap', configMapWith, 'curl | '],
]

for (const [place, objectWith, unit] of benignFloods) {
  t.test(`100 KB of ${JSON.stringify(unit)} in ${place} is reviewed, and its cost grows linearly`, async (t) => {
    t.same(evaluate({ object: objectWith(repeatedTo(unit, KB100)) }, policySet).findings, [])
    const ratio = growthRatio(
      (size) => objectWith(repeatedTo(unit, size)),
      (object) => evaluate({ object }, policySet),
      COSTLY_SMALL,
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
  })
}

t.test('"supportxmr.com." repeated over 100 KB is refused once, and its cost grows linearly', async (t) => {
  const { findings } = evaluate({ object: podWithArg(repeatedTo('supportxmr.com.', KB100)) }, policySet)
  t.same(
    findings.map(({ policy, action, path }) => ({ policy, action, path })),
    [{ policy: 'miner-signals', action: 'deny', path: 'spec.containers[0].args[0]' }],
  )
  t.match(findings[0]?.message, /mining pool "supportxmr\.com"/)
  const ratio = growthRatio(
    (size) => podWithArg(repeatedTo('supportxmr.com.', size)),
    (object) => evaluate({ object }, policySet),
    COSTLY_SMALL,
  )
  t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
})

// Each entry is what one pattern of the signal scanner fears most: a run its quantifier eats and
// then fails after, or a tell-tale token repeated so a rescanning check would revisit the run.
const hostileUnits: [string, string][] = [
  ['stratum URL prefixes that never complete', 'stratum+tcp:/'],
  ['a stratum URL run that never ends', 'stratum+tcp://x'],
  ['bare-IP downloads cut short', 'http://1.2.3.'],
  ['pipes with no shell', '| '],
  ['pipes after a downloader', 'curl | '],
  ['base64 decoders piped nowhere', 'base64 -d |'],
  ['output flags with no downloader', '-o '],
  ['output flags after a downloader', 'curl -o '],
  ['output redirections into tmp after wget', 'wget >/tmp/x '],
  ['chmod with endless x', 'chmod +xxxxxxxxxxxxxxxx'],
  ['chmod without a target', 'chmod '],
  ['algorithm selectors without an algorithm', '-a '],
  ['miner flag prefixes', '--randomx-'],
  ['a pool domain repeated', 'supportxmr.com.'],
  ['a miner binary repeated with separators', 'xmrig '],
  ['a run of base58 characters', '4'],
  ['a dero prefix with a long tail', 'dero1qqqqqqqqqqqqqqqq'],
  ['bech32 prefixes', 'bc1qqqqqqqqqqq'],
  ['an eth prefix with a long hex tail', '0xaaaaaaaaaaaaaaa'],
  ['mining ports repeated', ':3333'],
  ['short base64 blobs after the word base64', 'base64 AAAAAAAAAAAAAAAAAAAAAAA '],
  ['one long base64 blob', 'QUFB'],
  ['credentials-looking URL runs', '//a@'],
  ['executing words with nothing fetched', 'eval os.system subprocess. '],
  ["Perl's string evals beside sockets, one line each", 'eval join"",<$s>;eval+get;eval<$s>;socket(S,\n'],
  ['one host of IDNA dots and fullwidth labels', 'ｓｕｐｐｏｒｔ。'],
  ['IDNA-spelt hosts, one per word', 'pool.supportxmr。com '],
  ['path segments that are no hosts', '/é.'],
  ['one label of ignorable characters', 'a\u00ad\u200b'],
  ['temporary directories with nothing run', '/tmp//dev/shm/'],
  ['parentheses and backticks', '(`'],
  ['refused pool starts, each hiding a listed pool', 'x-monero.crypto-pool.fr'],
  ['program names after a dot', '.xmrig'],
]

for (const [name, unit] of hostileUnits) {
  t.test(`the signal scanner stays linear on ${name}`, async (t) => {
    const ratio = growthRatio((size) => (unit === 'QUFB' ? `base64 ${repeatedTo(unit, size)}` : repeatedTo(unit, size)), scanText, COSTLY_SMALL)
    t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
  })
}

t.test('the signal scanner stays linear in the number of texts it is given (one character each)', async (t) => {
  const texts = (count: number) => Array.from({ length: count }, (_, index) => ({ field: `env[${index}].value`, text: index % 2 === 0 ? 'x' : '|' }))
  const ratio = growthRatio(
    (size) => texts(size),
    (given) => scan(given, []),
    COSTLY_SMALL,
  )
  t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the texts`)
})

t.test('the signal scanner stays linear on distinct address-shaped tokens, each needing a checksum', async (t) => {
  const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  // A deterministic stream of different 34-character tokens starting with 1, as a generated attack would
  // send; each run gets new tokens (`salt`), so the scanner's remembered verdicts cannot flatter the small size.
  let salt = 0
  const tokens = (size: number) => {
    let text = ''
    salt += 1
    for (let index = 0; text.length < size; index++) {
      let token = '1'
      for (let char = 0, seed = index * 7919 + salt; char < 33; char++, seed = (seed * 31 + char) % 1_000_003) token += BASE58[seed % 58]
      text += `${token} `
    }
    return text
  }
  t.equal(scanText(tokens(4096)).length, 0, 'random tokens fail their checksum')
  const ratio = growthRatio(
    (size) => size,
    (size) => scanText(tokens(size)),
    COSTLY_SMALL,
  )
  t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
})

t.test('dropper matching stays linear when one command holds many downloaders and pipes', async (t) => {
  const ratio = growthRatio(
    (size) => `${repeatedTo('wget ', size / 2)}${repeatedTo('| ', size / 2)}`,
    (text) => findDroppers(text, () => {}),
  )
  t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)}`)
})

t.test('quoting stays linear on a long credential-shaped URL', async (t) => {
  const ratio = growthRatio((size) => `stratum+tcp://${repeatedTo('//user', size)}@pool`, safeQuote)
  t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)}`)
})

t.test('$(VAR) expansion stays linear in the text it reads', async (t) => {
  const lookup = new Map([['A', 'x']])
  for (const unit of ['$(A', '$(A)', '$$(', '$(A.b-c_d']) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => expandVariables(text, lookup),
      COSTLY_SMALL,
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${unit}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('container texts stay linear in the number of env entries that refer to others', async (t) => {
  const container = (size: number) => ({
    name: 'c',
    env: Array.from({ length: size / 16 }, (_, index) => ({ name: `V${index}`, value: index === 0 ? 'x' : `$(V${index - 1})` })),
  })
  const ratio = growthRatio(container, containerTexts)
  t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)}`)
})

t.test('container texts stay linear in the quotes and backslashes a script is unquoted from', async (t) => {
  for (const unit of ["x''", '"a"', '\\\\', '\\\n', `'"`]) {
    const ratio = growthRatio((size: number) => ({ name: 'c', command: ['sh', '-c', repeatedTo(unit, size)] }), containerTexts)
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('container texts stay linear in the quotes of a mounted script the container runs', async (t) => {
  const environmentWith = (script: string) =>
    podEnvironment(
      {},
      { volumes: [{ name: 'cfg', configMap: { name: 'files' } }] },
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files', namespace: 'ns' }, data: { 'run.sh': script } }],
      'ns',
    )
  const container = { name: 'c', command: ['sh', '/c/run.sh'], env: [{ name: 'A', value: 'x' }], volumeMounts: [{ name: 'cfg', mountPath: '/c' }] }
  for (const unit of ["x''", '"$A"', '\\\\']) {
    const ratio = growthRatio(
      (size: number) => environmentWith(repeatedTo(unit, size)),
      (environment) => containerTexts(container as V1Container, undefined, environment),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('deciding which mounted ConfigMap files a container runs stays linear on runs of slashes and globs', async (t) => {
  const environment = podEnvironment(
    {},
    { volumes: [{ name: 'cfg', configMap: { name: 'files' } }] },
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files', namespace: 'ns' }, data: { 'run.sh': 'x', 'c.json': '{}' } }],
    'ns',
  )
  for (const [name, unit] of [
    ['slashes', '/'],
    ['globs', '/a*/'],
    ['option values', '--o=/c/ '],
  ] as const) {
    const container = (size: number) => ({
      name: 'c',
      args: [`${repeatedTo(unit, size)}x`],
      volumeMounts: [{ name: 'cfg', mountPath: `/c${repeatedTo('/', size)}` }],
    })
    const ratio = growthRatio(container, (subject) => containerTexts(subject as V1Container, undefined, environment))
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${name}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('miner-config recognition stays linear in the JSON it parses', async (t) => {
  // Half the size: JSON past 1 MiB is not parsed as a config at all (it is still scanned as text).
  const ratio = growthRatio((size) => `{"pools":[${repeatedTo('{"url":"a","user":"b"},', size / 2)}{}]}`, minerConfigSigns, COSTLY_SMALL)
  t.ok(ratio < LINEAR_RATIO_LIMIT, `cost ratio ${ratio.toFixed(1)}`)
  // Comments before the config are stepped over by index: many of them cost no copy each.
  for (const unit of ['/**/ ', '//\n', '/* *', ' ']) {
    const comments = growthRatio((size) => `${repeatedTo(unit, size)}{"pools":[]}`, minerConfigSigns, COSTLY_SMALL)
    t.ok(comments < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)} before a config: cost ratio ${comments.toFixed(1)}`)
  }
})

t.test('image-name token matching stays linear on separator and near-miss runs', async (t) => {
  const match = tokenMatcher(['xmrig', 'xmr-stak', 'cpu-miner', 'mine'])
  for (const unit of ['-', 'xmr-', 'xmr_sta', 'cpu-min-']) {
    const ratio = growthRatio((size) => repeatedTo(unit, size), match)
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${unit}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('a trie pattern stays linear on runs of a word prefix', async (t) => {
  const pattern = new RegExp(`\\b(?:${triePattern(['xmrig', 'xmr-stak', 'xmrig-proxy', 'xmr'])})(?![\\w-])`, 'gi')
  for (const unit of ['xmri', 'xmr-sta', 'xmrig-prox']) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => text.match(pattern),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${unit}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('package-install reading stays linear on installer runs, flag runs and trailing versions', async (t) => {
  // One command naming an installer, then thousands of names each followed by `-v`: a reader that
  // gives every `-v` to every name before it again is quadratic here.
  t.same(packageInstalls('gem install a b -v 1 -v 2 c'), [
    { ecosystem: 'RubyGems', name: 'a', version: '2' },
    { ecosystem: 'RubyGems', name: 'b', version: '2' },
    { ecosystem: 'RubyGems', name: 'c', version: undefined },
  ])
  const inputs: [string, (size: number) => string][] = [
    ['pip install ', (size) => repeatedTo('pip install ', size)],
    ['npm i ', (size) => repeatedTo('npm i ', size)],
    ['npx ', (size) => repeatedTo('npx ', size)],
    ['curl | ', (size) => repeatedTo('curl | ', size)],
    ['-', (size) => `pip install ${repeatedTo('-', size)}`],
    ['- ', (size) => `pip install ${repeatedTo('- ', size)}`],
    ['pip install a -v 1 ', (size) => repeatedTo('pip install a -v 1 ', size)],
    ['names then -v runs', (size) => `gem install ${repeatedTo('a ', size / 2)}${repeatedTo('-v 1 ', size / 2)}`],
  ]
  for (const [name, build] of inputs) {
    const ratio = growthRatio(build, packageInstalls, COSTLY_SMALL)
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${name}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('the miner grammar stays linear on option runs and long single words', async (t) => {
  const grammar = compileGrammar({ algorithms: ['rx/0'] })
  const read = (text: string) => grammar(text, () => {})
  t.equal(read(` ${repeatedTo('-o pool.example.com:3333 -u w -p x ', 4096)}`), true, 'the hostile run is read as a miner command')
  const inputs: [string, (size: number) => string][] = [
    ['-o ', (size) => repeatedTo('-o ', size)],
    ['-o x -u ', (size) => repeatedTo('-o x -u ', size)],
    ['--url=', (size) => ` ${repeatedTo('--url=', size)}`],
    ['-p x ', (size) => `-o stratum+tcp://a:1 -u w ${repeatedTo('-p x ', size)}`],
    ['one long endpoint word', (size) => `-u w -o ${repeatedTo('a.', size)}:3333`],
    ['server and port runs', (size) => ` ${repeatedTo('--server a.example --port 1 -s b.example -n 2 ', size)}`],
    ['port-less hosts', (size) => `-u w ${repeatedTo('-o a.example ', size)}`],
    ['nanominer pools', (size) => ` ${repeatedTo('-pool1 a.example:1 -wallet w ', size)}`],
    ['one long indexed value', (size) => `-u w -o [1]${repeatedTo('a.', size)}:3333`],
  ]
  for (const [name, build] of inputs) {
    const ratio = growthRatio(build, read, COSTLY_SMALL)
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${name}: cost ratio ${ratio.toFixed(1)}`)
  }
})

t.test('reading hosts as looked up stays linear: one long host, many hosts, path segments, escapes', async (t) => {
  for (const [unit, percent] of [
    ['\uff53\u3002', false],
    ['\uff41\u3002\uff42 ', false],
    ['pool.supportxmr\u3002com ', false],
    ['/\u00e9.', false],
    ['a\u00ad\u200b.', false],
    ['a%2e', true],
    ['%E3%80%82', true],
    ['x%2e%2f ', true],
  ] as const) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => hostsAsResolved(text, percent),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)}`)
  }
})
