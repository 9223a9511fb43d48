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
