// The miner grammar against ordinary programs that spell its options: a pod refused by a deny
// policy breaks someone's rollout, so each line here must be admitted without a miner finding.
import t from 'tap'
import type { V1Container } from '../../src/workloads/kubernetes.ts'
import { minerSignals as findingsOf } from '../helpers/miner-signals.ts'
import { defaultPolicies } from '../helpers/server.ts'
import { ORDINARY_COMMAND_LINES } from './ordinary-command-lines.ts'

const policySet = await defaultPolicies()

function minerSignals(container: Partial<V1Container>): string[] {
  return findingsOf(policySet, container).map(({ action, message }) => `${action}: ${message}`)
}

t.test('ordinary programs whose options were read as a miner command line are admitted', async (t) => {
  for (const command of [
    // sslh listens with `-p addr:port` (`--listen`), drops to `-u user` and forwards TLS with `--tls host:port`.
    ['sslh', '-f', '-u', 'sslh', '-p', '0.0.0.0:443', '--ssh', '127.0.0.1:22', '--tls', '127.0.0.1:443'],
    ['sslh', '-F', '/etc/sslh.cfg', '-u', 'sslh', '-p', '0.0.0.0:443', '--ssh', 'ssh.example.com:22', '--tls', 'web.example.com:443'],
    // A client whose `-p` names its proxy or server (proxytunnel, redis-cli's URL form, rdesktop's password slot).
    ['proxytunnel', '-p', 'proxy.example.com:3128', '-d', 'ssh.example.com:22', '-e', '-u', 'alice', '-k'],
    ['redis-cli', '-p', 'redis.example.com:6379', '-u', 'redis://app@redis.example.com', '-k'],
    ['rdesktop', '-u', 'admin', '-p', 'rdp.example.com:3389', '-k', 'de'],
    // curl's `-P` is its FTP active-mode address, `-O` saves under the remote name.
    ['curl', '-k', '-u', 'ftpuser:pw', '-P', '10.0.0.5:32000', '-o', 'file.bin', 'ftp://ftp.example.com/file.bin'],
    ['curl', '-P', '10.0.0.5:32000', '-O', 'ftp://ftp.example.com/file.bin'],
    // wget's `-o` is its log file and `-O` its output file; compilers' and Python's `-O` optimise.
    ['wget', '-q', '-o', 'wget.log', '-O', 'app.tar.gz', 'https://files.example.com/app.tar.gz'],
    ['wget', '-O', 'app.tar.gz', '-o', 'download.log', '--user', 'ci', 'https://files.example.com/app.tar.gz'],
    ['sh', '-c', 'wget -nv -o fetch.log -O release.zip https://files.example.com/release.zip && unzip release.zip'],
    ['gcc', '-O2', '-shared', '-fPIC', '-o', 'libfoo.so', 'foo.c'],
    ['sh', '-c', 'gcc -O2 -c main.c -o main.o && gcc -O2 -o app main.o -lm'],
    ['sh', '-c', 'cc -O3 -Wall -o server.bin server.c -u main'],
    ['python', '-O', 'report.py', '-o', 'report.csv', '-u', 'admin'],
    ['hashcat', '-O', '-a', '0', '-m', '1000', '-w', '3', '-o', 'cracked.txt', 'hashes.txt', 'wordlist.txt'],
    // Chromium's `--disable-gpu` in a headless renderer that writes a file and logs in.
    ['node', 'render.js', '--headless', '--disable-gpu', '-o', 'shot.png', '--user', 'bot'],
    // A trading bot's exchange server, account and coin: a coin does not complete a `--server`.
    ['trader', '--server', 'api.exchange.example.com', '--port', '443', '--user', 'bot', '--coin', 'BTC'],
  ]) {
    t.same(minerSignals({ command }), [], JSON.stringify(command))
  }
})

t.test(`${ORDINARY_COMMAND_LINES.length} ordinary servers, clients, tunnels, runners and exporters are admitted`, async (t) => {
  const refused = ORDINARY_COMMAND_LINES.map((command) => ({ command, found: minerSignals({ command: [...command] }) })).filter(({ found }) => found.length > 0)
  t.same(refused, [])
})

t.test('ordinary env spellings beside the names miner images read are admitted', async (t) => {
  for (const env of [
    // A connection pooler's pool and user, with a real password.
    [
      { name: 'POOL', value: 'db.example.com:5432' },
      { name: 'POOL_USER', value: 'app' },
      { name: 'POOL_PASS', value: 's3cret' },
    ],
    // A DeFi app: a liquidity pool's contract, a wallet, a coin.
    [
      { name: 'POOL_ADDRESS', value: '0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640' },
      { name: 'WALLET_ADDRESS', value: '0x71c7656ec7ab88b098defb751b7401b5f6d8976f' },
      { name: 'COIN', value: 'ETH' },
    ],
    // A service whose pool is a host name, with a signing algorithm.
    [
      { name: 'POOL_URL', value: 'workers.example.com' },
      { name: 'POOL_USER', value: 'scheduler' },
      { name: 'ALGO', value: 'RS256' },
    ],
  ]) {
    t.same(minerSignals({ env }), [], JSON.stringify(env))
  }
})
