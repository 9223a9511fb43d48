// The cheap necessary conditions that let miner-signals skip most texts (issue 10, item 7) are
// attacked here. A gate is sound when the step behind it finds nothing in a text the gate turns
// away: the gated step must report exactly what the ungated one reports, over every text of the
// detection corpora and over random texts built from the pieces each step reads.
import { readdir, readFile } from 'node:fs/promises'
import fc from 'fast-check'
import t from 'tap'
import { parse } from 'yaml'
import { podEnvironment } from '../../src/detect/container-sources.ts'
import { commandLines, containerTexts, readCommandLines } from '../../src/detect/container-text.ts'
import { isDataText, isDetectionTool, lineOf, markDataContext } from '../../src/detect/data-context.ts'
import { compileInstallerFinder } from '../../src/detect/installer-urls.ts'
import { mayBeMinerConfig, minerConfigSigns, readMinerConfig } from '../../src/detect/miner-config.ts'
import { compileGrammar, compileUngatedGrammar, envCommandLine, mayBeMinerCommandLine, namesPoolAndAccount } from '../../src/detect/miner-grammar.ts'
import { compileSignalScanner, type Signal } from '../../src/detect/signals.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import { loadIntel } from '../../src/intel/load.ts'
import type { InstallerEntry } from '../../src/intel/types.ts'
import { isRecord, type V1Container } from '../../src/workloads/kubernetes.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { defaultPolicies } from '../helpers/server.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const W = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A'
const SEED = 20261202
const intel = await loadIntel(new URL('../../policies/data/intel/', import.meta.url).pathname)
const lists = { algorithms: ['rx/0', 'kawpow', 'scrypt', 'ethash', 'randomx'] }
const gated = compileGrammar(lists)
const ungated = compileUngatedGrammar(lists)

/** What a grammar says about a text: its quotes and whether it connects to a pool. */
function grammarSays(grammar: typeof gated, text: string): { quotes: string[]; connects: boolean } {
  const quotes: string[] = []
  const connects = grammar(text, (quote) => quotes.push(quote))
  return { quotes, connects }
}

/** Every container of the corpora, with its pod's environment, as `corpusTexts` meets it. */
const corpusContainers: { container: V1Container; environment: ReturnType<typeof podEnvironment> }[] = []

/** Every string of the corpus objects, each list of strings also joined as a command line, and what the container texts make of them. */
async function corpusTexts(): Promise<string[]> {
  const corpus = new URL('../corpus/', import.meta.url)
  const files = [
    new URL('miners.yaml', corpus),
    new URL('benign.yaml', corpus),
    ...(await readdir(new URL('techniques/', corpus))).filter((file) => file.endsWith('.yaml')).map((file) => new URL(`techniques/${file}`, corpus)),
  ]
  const texts = new Set<string>()
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.add(value)
    else if (Array.isArray(value)) {
      if (value.length > 0 && value.every((item) => typeof item === 'string')) texts.add(value.join(' '))
      for (const item of value) walk(item)
    } else if (isRecord(value)) {
      if (Array.isArray(value.containers)) {
        const environment = podEnvironment({}, value, [], 'corpus')
        for (const container of value.containers.filter(isRecord) as unknown as V1Container[]) {
          corpusContainers.push({ container, environment })
          const items = containerTexts(container, undefined, environment)
          for (const item of [...items, ...commandLines(items)]) texts.add(item.text)
          texts.add(envCommandLine(container.env))
        }
      }
      if (isRecord(value.container)) walk({ containers: [value.container] })
      for (const item of Object.values(value)) walk(item)
    }
  }
  for (const file of files) walk(parse(await readFile(file, 'utf8')))
  return [...texts]
}

const texts = await corpusTexts()

t.test('the corpora give the gates thousands of texts, miner command lines and configs among them', async (t) => {
  t.ok(texts.length > 1000, `${texts.length} texts`)
  t.ok(texts.filter((text) => grammarSays(ungated, text).quotes.length > 0).length >= 30, 'miner command lines')
  t.ok(texts.filter((text) => readMinerConfig(text)?.pools !== undefined).length >= 5, 'miner configs')
})

t.test('the grammar reports the same with its gate as without it on every corpus text', async (t) => {
  t.same(
    texts.filter((text) => JSON.stringify(grammarSays(gated, text)) !== JSON.stringify(grammarSays(ungated, text))),
    [],
  )
})

// The words and separators the grammar reads, and the characters its gate looks for.
const grammarPiece = fc.oneof(
  fc.constantFrom('-o', '-O', '-P', '--url', '--pool', '--dualpool', '-u', '--user', '-w', '--wallet', '-p', '--pass', '-a', '--algo', '--coin'),
  fc.constantFrom('--server', '-s', '--port', '-n', '-pool1', '-algo', '-wallet', '-rigName', '--proto', 'stratum', '6060', '[1]'),
  fc.constantFrom('-k', '--tls', '--nicehash', '--donate-level', '--randomx-mode', '--no-getwork', '-B', 'x', 'w', 'rx/0', 'monero', '1'),
  fc.constantFrom('pool.example.net:3333', 'stratum+tcp://a.example:1', 'http://10.0.0.1:8332', 'ssl://u@b.example:443/', 'host:1', ':', '.', '=', '-'),
  fc.constantFrom('pool.example.net', 'ssl://pool.example.net', 'ethstratum+tcp://a.example:1', '[1]stratum+tcp://a.example:1', '--templimit'),
  fc.constantFrom(' ', '\t', '\v', '\f', '\r', '\n', ';', '|', '&', "'", '"', '`', '\u00a0', '\u3000'),
  fc.string({ maxLength: 4 }),
)

t.test('the grammar reports the same with its gate as without it on random command lines', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(grammarPiece, { maxLength: 16 }), (pieces) => {
        const text = pieces.join('')
        return JSON.stringify(grammarSays(gated, text)) === JSON.stringify(grammarSays(ungated, text))
      }),
      { seed: SEED, numRuns: fuzzRuns(2000) },
    ),
  )
})

// Whole commands: option words and values, each gap a run of word ends the grammar splits on.
const gap = fc
  .array(fc.constantFrom(' ', '\t', '\v', '\f', '\r', '\n', ';', '|', '&', "'", '"', '`'), { minLength: 1, maxLength: 2 })
  .map((run) => run.join(''))
const word = fc.oneof(
  fc.constantFrom(
    '-o',
    '-P',
    '--url',
    '--pool',
    '-u',
    '--user',
    '-O',
    '-p',
    '-a',
    '--coin',
    '-k',
    '--tls',
    '--no-getwork',
    '--randomx-1gb-pages',
    'x',
    'w',
    'rx/0',
    '--server',
    '-s',
    '--port',
    '-n',
    '-pool1',
    '-wallet',
    '--donate-level',
  ),
  fc.constantFrom('pool.example.net:3333', 'stratum+tcp://a.example:1', 'http://10.0.0.1:8332', '--url=a.example:1', '-o=host.example:443', '--user=w'),
  fc.constantFrom('pool.example.net', '6060', '--server=pool.example.net', '--port=6060', '-spool.example.net', '-n6060', '-p=a.example:1'),
)

t.test('the grammar reports the same with its gate as without it on random commands', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(fc.tuple(word, gap), { maxLength: 8 }), (words) => {
        const text = words.map(([value, end]) => value + end).join('')
        return JSON.stringify(grammarSays(gated, text)) === JSON.stringify(grammarSays(ungated, text))
      }),
      { seed: SEED, numRuns: fuzzRuns(2000) },
    ),
  )
})

t.test('a miner command line split by tabs, quotes or carriage returns instead of spaces passes the gate', async (t) => {
  for (const text of [
    `/tmp/x\t-o\tpool.example.net:3333\t-u\t${W}\t-k`,
    `-o'pool.example.net:3333'-u'${W}'--tls`,
    `-o"pool.example.net:3333"-u"${W}"--donate-level=1`,
    `--url=pool.example.net:3333\r--user=${W}\f--nicehash`,
    `-o\vstratum+tcp://pool.example.net:3333\v-u\v${W}`,
  ]) {
    t.ok(mayBeMinerCommandLine(text), JSON.stringify(text))
    t.equal(grammarSays(gated, text).quotes.length, 1, JSON.stringify(text))
  }
  t.notOk(mayBeMinerCommandLine('-o\npool.example.net:3333\n-u\nw\n-k'), 'newlines end each command: no account joins the endpoint')
  t.notOk(mayBeMinerCommandLine('value-0-xxxxxxxxxxxxxxxxxxxxxxxx'), 'an env value of one word')
})

t.test('a tab-separated miner command joined by `sh -c` from an env value is refused', async (t) => {
  const policySet = await defaultPolicies()
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'debian:12-slim',
          env: [{ name: 'CMD', value: `/usr/local/bin/svc\t-o\t203.0.113.9:443\t-u\t${W}\t-k` }],
          command: ['sh', '-c', '$CMD'],
        },
      ],
    },
  }
  const findings = evaluate({ object }, policySet).findings.filter((finding) => finding.policy === 'miner-signals')
  t.match(findings.map((finding) => finding.message).join('\n'), /miner command line/)
  t.ok(findings.some((finding) => finding.action === 'deny'))
})

t.test('the config reader reports the same with its gate as without it on every corpus text', async (t) => {
  t.same(
    texts.filter((text) => JSON.stringify(minerConfigSigns(text)) !== JSON.stringify(readMinerConfig(text))),
    [],
  )
})

const configPiece = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', ':', ',', '"pools"', '"url"', '"user"', '"wallet"', '"pool.example.net:3333"', '"w"', 'pools', 'url', 'user'),
  fc.constantFrom('"pool_list"', '"pool_address"', '"wallet_address"', '"donate-level"', '"randomx"', '1', '// c\n', '/* c */'),
  fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\ufeff', '\u2028', '\u3000', '\u0085', '\u200b'),
  fc.string({ maxLength: 3 }),
)

t.test('the config reader reports the same with its gate as without it on random texts', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(configPiece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('')
        return JSON.stringify(minerConfigSigns(text)) === JSON.stringify(readMinerConfig(text))
      }),
      { seed: SEED, numRuns: fuzzRuns(2000) },
    ),
  )
  t.doesNotThrow(
    () =>
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 3 }), fc.string({ maxLength: 8 }), (start, rest) => {
          const text = `${start}{"pools":[{"url":"pool.example.net:3333","user":"w"}]${rest}`
          return JSON.stringify(minerConfigSigns(text)) === JSON.stringify(readMinerConfig(text))
        }),
        { seed: SEED, numRuns: fuzzRuns(2000) },
      ),
    'any characters before a config',
  )
})

t.test('a config behind a byte-order mark or any white space trimStart removes passes the gate', async (t) => {
  const config = `{"donate-level":1,"pools":[{"url":"pool.example.net:3333","user":"${W}"}]}`
  for (const start of ['\ufeff', '\u00a0', '\v', '\f', '\u2028', '\u3000', '\u1680', ' \n\t']) {
    // Named by code point: a raw U+2028 in a test name would end the TAP line.
    const name = [...start].map((character) => `U+${(character.codePointAt(0) as number).toString(16).padStart(4, '0')}`).join(' ')
    t.ok(mayBeMinerConfig(start + config), name)
    t.same(minerConfigSigns(start + config), { pools: 'pools[0].url', minerKeys: ['donate-level'] }, name)
  }
  t.notOk(mayBeMinerConfig('value-0-xxxxxxxxxxxxxxxxxxxxxxxx'), 'an env value that starts with a letter')
})

/** An installer entry for a host that no text here names: it switches the dot gate off, so the finder reads every text. */
const DOTLESS: InstallerEntry = { prefix: 'gate-off-host', source: 'test', date: '2026-12' } as InstallerEntry
const findGated = compileInstallerFinder(intel.installers)
const findUngated = compileInstallerFinder([...intel.installers, DOTLESS])
const downloads = (find: typeof findGated, text: string) => JSON.stringify(find([{ field: 'env[0].value', text }]))

t.test('the installer search reports the same with its dot gate as without it', async (t) => {
  t.ok(intel.installers.length > 0)
  t.same(
    texts.filter((text) => downloads(findGated, text) !== downloads(findUngated, text)),
    [],
    'every corpus text',
  )
  const urlPiece = fc.oneof(
    fc.constantFrom(...intel.installers.map((entry) => entry.prefix), 'https://', 'http://', 'www.', '/', '.', ':443', '%2e', 'curl ', ' | sh'),
    fc.constantFrom('GITHUB', 'COM', 'githubusercontent', 'raw', 'xmrig', 'download', 'c3pool', 'org', '\u3002', '\uff0e'),
    fc.string({ maxLength: 3 }),
  )
  t.doesNotThrow(
    () =>
      fc.assert(
        fc.property(fc.array(urlPiece, { maxLength: 10 }), (pieces) => {
          const text = pieces.join('')
          return downloads(findGated, text) === downloads(findUngated, text)
        }),
        { seed: SEED, numRuns: fuzzRuns(2000) },
      ),
    'random URLs',
  )
})

t.test('an installer host without a dot is still found: the dot gate is off for such a list', async (t) => {
  const find = compileInstallerFinder([{ prefix: 'minerhost/setup', source: 'test', date: '2026-12' } as InstallerEntry])
  t.same(
    find([{ field: 'args[0]', text: 'curl -s http://MinerHost/setup/run | sh' }]).map(({ field, url }) => ({ field, url })),
    [{ field: 'args[0]', url: 'MinerHost/setup/run' }],
  )
})

/** markDataContext as it was before it read only the lines a mention is in: the reference for the narrowing. */
function markEveryLine(
  found: Signal[],
  texts: readonly { field: string; text: string }[],
  lines: readonly { field: string; text: string }[],
  connects: readonly boolean[],
) {
  const mention = new Set(['miner-binary', 'pool-domain', 'mining-port', 'miner-flag', 'wallet', 'eth-wallet'])
  if (!found.some((signal) => mention.has(signal.kind))) return
  const connecting = new Set(lines.filter((line, index) => connects[index] === true || namesPoolAndAccount(line.text)).map((line) => lineOf(line.field)))
  const tools = new Set(lines.filter((line, index) => connects[index] !== true && isDetectionTool(line.text)).map((line) => lineOf(line.field)))
  const names = new Map<string, Set<string>>()
  for (const signal of found) {
    if (signal.kind !== 'miner-binary' && signal.kind !== 'pool-domain') continue
    const set = names.get(signal.field) ?? new Set()
    set.add(signal.quote.toLowerCase())
    names.set(signal.field, set)
  }
  const textOf = new Map(texts.map((text) => [text.field, text.text]))
  for (const signal of found) {
    if (!mention.has(signal.kind)) continue
    const line = lineOf(signal.field)
    if (connecting.has(line)) continue
    const text = textOf.get(signal.field)
    if (tools.has(line) || (text !== undefined && isDataText(text, names.get(signal.field)?.size ?? 0))) signal.inData = true
  }
}

t.test('data context read only where a mention is marks what reading every line marked, on every corpus container', async (t) => {
  const scan = compileSignalScanner(await defaultSignalData())
  let marked = 0
  const differ: string[] = []
  for (const { container, environment } of corpusContainers) {
    const texts = containerTexts(container, undefined, environment)
    const found: Signal[] = []
    scan(texts, found)
    const connects = readCommandLines(texts, (line) => gated(line.text, () => {}))
    const lines = commandLines(texts)
    const narrow = found.map((signal) => ({ ...signal }))
    const every = found.map((signal) => ({ ...signal }))
    markDataContext(narrow, texts, lines, connects)
    markEveryLine(every, texts, lines, connects)
    marked += every.filter((signal) => signal.inData === true).length
    if (JSON.stringify(narrow) !== JSON.stringify(every)) differ.push(JSON.stringify(every))
  }
  t.same(differ, [])
  t.ok(marked >= 10, `${marked} signals marked as data over ${corpusContainers.length} containers`)
})
