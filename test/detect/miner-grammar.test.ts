// Miner command lines are recognised by grammar, not by the binary's name.
import t from 'tap'
import { compileGrammar, endpointKind, envCommandLine } from '../../src/detect/miner-grammar.ts'
import { GROWTH, growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } from '../helpers/linear-cost.ts'

const W = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A'
const grammar = compileGrammar({ algorithms: ['rx/0', 'kawpow', 'scrypt'] })

function quotes(text: string): string[] {
  const found: string[] = []
  grammar(text, (quote) => found.push(quote))
  return found
}

t.test('the xmrig grammar with a renamed binary is a miner command line, quoted without the wallet', async (t) => {
  t.same(quotes(`/usr/local/bin/app -o 203.0.113.5:443 -u ${W} -p x -k --tls`), ['-o 203.0.113.5:443 -u … -p x'])
})

t.test('each grammar is recognised with its own flags', async (t) => {
  const lines = [
    '--url=198.51.100.7:8443 --user=w --keepalive',
    '--algo=scrypt --url=http://203.0.113.62:9332 --userpass=u:p',
    '--algo ETHASH --pool a.example.net:1 --user u --dualmode KASPADUAL',
    '--algorithm randomx --pool example.net:3333 --wallet w --disable-gpu',
    '--currency monero -o 203.0.113.71:4444 -u w --noTest',
    '-a kawpow -o stratum+tcp://203.0.113.72:3333 -u RVNwallet',
    '-o \'pool.example.net:3333\' "-u" w --randomx-mode=fast',
    '-o ssl://pool.example.net:443 -u w@rig --coin monero',
  ]
  t.same(
    lines.map((line) => quotes(line).length),
    lines.map(() => 1),
  )
})

t.test('a pool and an account without a miner-only flag are not a miner command line', async (t) => {
  t.same(quotes('./app --url db.internal:5432 --user app --pool-size 10'), [])
  t.same(quotes('curl -k -o /tmp/out.json -u svc:pass https://api.example.com/v1/export'), [])
  t.same(quotes('java -jar app.jar --url=https://api.internal:8443 --user=svc --tls'), [])
  t.same(quotes('ssh -o StrictHostKeyChecking=no -p 2222 deploy@git.example.com'), [])
  t.same(quotes('--url=http://node.internal:8332/rpc --user=u --no-longpoll'), [], 'an HTTP URL with a path is no getwork endpoint')
  t.same(quotes('-o 203.0.113.5:443 -u w -p secret'), [], 'a real password is no miner convention')
  t.same(quotes('--algorithm sha512 -o host.example:22 -u w'), [])
})

t.test('a command ends at a separator: flags of the next command do not complete it', async (t) => {
  t.same(quotes('app -o db.example.net:5432 -u app; other -k --tls'), [])
  t.same(quotes('app -o pool.example.net:3333 -u w -k | tee log'), ['-o pool.example.net:3333 -u … -k'])
})

t.test('an option without its value does not count', async (t) => {
  t.same(quotes('app -u w -k -o'), [])
  t.same(quotes('app -o -u w -k'), [])
})

t.test('endpoint values are classified', async (t) => {
  t.same(
    [
      'stratum+ssl://a.example:1',
      'a.example:3333',
      'http://10.0.0.1:8332/',
      'tcp://u@a.example:80',
      'https://a.example:443',
      'a.example',
      'localhost:80',
      'ftp://a.example:21',
      'a.example:port',
    ].map(endpointKind),
    ['stratum', 'host', 'http', 'host', undefined, undefined, undefined, undefined, undefined],
  )
})

t.test('env names that miner images read become a command line', async (t) => {
  t.equal(
    envCommandLine([
      { name: 'POOL_URL', value: 'example.net:8080' },
      { name: 'POOL_USER', value: W },
      { name: 'DONATE_LEVEL', value: '0' },
      { name: 'GREETING', value: 'hello world' },
      { name: 'WALLET', value: 'has spaces in it' },
      { name: 'POOL' },
    ]),
    `--url=example.net:8080 --user=${W} --donate-level=0 `,
  )
  t.equal(envCommandLine(undefined), '')
  t.equal(
    quotes(
      envCommandLine([
        { name: 'POOL_URL', value: 'example.net:8080' },
        { name: 'POOL_USER', value: 'w' },
        { name: 'DONATE_LEVEL', value: '0' },
      ]),
    ).length,
    1,
  )
})

t.test('the grammar costs time linear in its input', async (t) => {
  for (const unit of ['-o ', '-o a.example:1 ', '--url=x ', '-u w -k ', '\'"', 'x'.repeat(30)]) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => grammar(text, () => {}),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `"${unit}": cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
  }
})

const withShared = compileGrammar({ algorithms: ['rx/0', 'kawpow'], sharedAlgorithms: ['scrypt'] })
function sharedQuotes(text: string): string[] {
  const found: string[] = []
  withShared(text, (quote) => found.push(quote))
  return found
}

t.test("GMiner's server and port are one endpoint, quoted with both options", async (t) => {
  t.same(quotes('miner --algo kawpow --server pool.example.net --port 6060 --user w'), ['--server pool.example.net --port 6060 --user … --algo kawpow'])
  t.same(quotes('miner -n 6060 -u w -s pool.example.net -a kawpow'), ['-s pool.example.net -n 6060 -u … -a kawpow'])
  t.same(quotes('miner -a kawpow -s pool.example.net -n6060 -u w'), ['-s pool.example.net -n 6060 -u … -a kawpow'], 'a port attached to -n')
  t.same(quotes('miner --algo kawpow --server pool.example.net --user w'), [], 'a server without a port is no endpoint')
  t.same(quotes('miner --algo kawpow --server pool.example.net --port http --user w'), [], 'a port that is not a number')
  t.same(quotes('miner --algo kawpow --server pool.example.net --port 6060; --user w'), [], 'the account in the next command')
})

t.test('an endpoint named as kubectl names its server needs a flag only miners take', async (t) => {
  t.same(quotes('kubectl --server=api.example.com:6443 --user=admin apply -k overlays -p x'), [])
  t.same(quotes('miner --server pool.example.net:2020 --user w --proto stratum'), ['--server pool.example.net:2020 --user … --proto stratum'])
  t.same(quotes('curl --proto =https --server pool.example.net:2020 --user w'), [], "curl's --proto values are no miner's")
})

t.test('`-p` is a pool only when its value is an endpoint, and only as `-p`', async (t) => {
  t.same(quotes('lolminer -p pool.example.net:14444 -u w --tls on'), ['-p pool.example.net:14444 -u … --tls'])
  t.same(quotes('app --pass pool.example.net:14444 -u w -k'), [], '--pass is always a password')
  t.same(quotes('app -p pool.example.net -u w --donate-level 1'), [], "lolMiner's pool needs its port")
})

t.test('a host without its port is reported only beside a flag curl, wget and kubectl do not take', async (t) => {
  t.same(quotes('x -o pool.example.net -u w --donate-level 1'), ['-o pool.example.net -u … --donate-level'])
  t.same(quotes('x -o pool.example.net -u w -k --tls -p x --coin monero'), [])
  t.same(sharedQuotes('x -o pool.example.net -u w -a scrypt'), [], 'an algorithm that also names a password hash')
  t.same(sharedQuotes('x -o pool.example.net:3333 -u w -a scrypt'), ['-o pool.example.net:3333 -u … -a scrypt'], 'with its port it completes the command')
})

t.test("Rigel's pool index and BzMiner's ethstratum scheme are endpoints", async (t) => {
  t.same(['[1]stratum+tcp://a.example:1', 'ethstratum+tcp://a.example:1', '[2]a.example:3333', '[x]a.example:3333', '[]a.example:1'].map(endpointKind), [
    'stratum',
    'stratum',
    'host',
    undefined,
    undefined,
  ])
})

t.test("nanominer's single-dash options are read as long ones", async (t) => {
  t.same(quotes('cmdline_launcher.sh -algo kawpow -wallet w -pool2 pool.example.net:9999'), ['--pool pool.example.net:9999 --wallet … --algo kawpow'])
  t.same(quotes('cmdline_launcher.sh -rigName=rig1 -wallet=w -pool1=pool.example.net:9999'), ['--pool pool.example.net:9999 --wallet … -rigName'])
  t.same(quotes('app -poolsize 10 -wallet w -o db.example.net:5432 -k'), ['-o db.example.net:5432 --wallet … -k'], '-poolsize is no pool')
})
