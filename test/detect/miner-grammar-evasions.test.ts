// Miner command lines spelt the way other mainstream miners spell them (GMiner's split server and
// port, lolMiner's and BzMiner's `-p` pool, Rigel's indexed pools, nanominer's single-dash options)
// and xmrig's endpoint without its port: each pod below was admitted (or only warned about) before
// the grammar read that spelling. Sources of each spelling: docs/detection.md#what-the-miners-take.
// Each false-positive case is an ordinary program whose options look alike and must stay admitted.
import t, { type Test } from 'tap'
import type { V1Container } from '../../src/workloads/kubernetes.ts'
import { minerSignals as findingsOf } from '../helpers/miner-signals.ts'
import { defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()
const minerSignals = (container: Partial<V1Container>) => findingsOf(policySet, container)

/** The script is refused, and the miner command line is among the reasons. */
function refusedAsMinerCommandLine(t: Test, script: string) {
  const found = minerSignals({ command: ['sh', '-c', script] })
  t.equal(found[0]?.action, 'deny', `${script}: ${JSON.stringify(found)}`)
  t.match(found[0]?.message, /miner command line/, script)
}

function admitted(t: Test, command: string[]) {
  t.same(minerSignals({ command }), [], JSON.stringify(command))
}

t.test("GMiner's endpoint spelt as a server and a port in two options is a miner command line", async (t) => {
  for (const script of [
    '/opt/svc --algo kawpow --server pool.example.net --port 6060 --user worker1',
    '/opt/svc --port 6060 --algo kawpow --user worker1 --server pool.example.net',
    '/opt/svc -a kawpow -s pool.example.net -n 6060 -u worker1 -p x',
    '/opt/svc --algo=etchash --server=pool.example.net --port=2020 --user=worker1',
    '/opt/svc --algo ethash --server ssl://pool.example.net --port 443 --user worker1',
    '/opt/svc --server pool.example.net --port 6060 --user worker1 --templimit 80 --cache_dag 1',
  ]) {
    refusedAsMinerCommandLine(t, script)
  }
})

t.test("GMiner's server with its port in one value is a miner command line", async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc --algo ethash --server pool.example.net:2020 --user worker1')
  refusedAsMinerCommandLine(t, '/opt/svc --server pool.example.net:3353 --user worker1 --proto stratum')
})

t.test("lolMiner's and BzMiner's `-p` pool is an endpoint when its value is one", async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc -a ETHASH -p pool.example.net:14444 -u worker1 --tls on')
  refusedAsMinerCommandLine(t, '/opt/svc -w worker1 -p ethstratum+tcp://pool.example.net:4444 -r rig1')
})

t.test("Rigel's indexed pools and accounts (`-o [1]stratum+tcp://…`) are read without their index", async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc -a octopus -o [1]stratum+tcp://pool.example.net:1170 -u [1]worker1 -w rig1')
})

t.test("nanominer's single-dash options (`-algo`, `-wallet`, `-pool1`) are read as their long forms", async (t) => {
  refusedAsMinerCommandLine(t, './cmdline_launcher.sh -algo ethash -wallet worker1 -coin eth -rigName rig1 -pool1 pool.example.net:9999')
})

t.test('a pool without its port (xmrig connects on 3333) with an account and a miner-only flag is a miner command line', async (t) => {
  for (const script of [
    '/opt/svc -o pool.unknown-example.net -u worker1 -p x --donate-level 1',
    '/opt/svc --url=pool.unknown-example.net --user=worker1 --randomx-mode=fast',
    '/opt/svc -o pool.unknown-example.net -u worker1 -a rx/0',
    '/opt/svc -o pool.unknown-example.net -u worker1 --cpu-max-threads-hint 50',
    '/opt/svc -o pool.unknown-example.net. -u worker1 --nicehash',
    '/opt/svc -o 203.0.113.9 -u worker1 --rig-id r1',
    '/opt/svc -a kawpow -o [1]pool.unknown-example.net -u [1]worker1',
  ]) {
    refusedAsMinerCommandLine(t, script)
  }
  const found = minerSignals({
    env: [
      { name: 'POOL_URL', value: 'pool.unknown-example.net' },
      { name: 'WALLET', value: 'worker1' },
      { name: 'DONATE_LEVEL', value: '1' },
    ],
  })
  t.equal(found[0]?.action, 'deny', JSON.stringify(found))
  t.match(found[0]?.message, /miner command line/, 'the env-spelt line without a port')
})

t.test('ordinary servers, clients and tools with --server, --port, -s, -n, -p or -o stay admitted', async (t) => {
  for (const command of [
    ['redis-server', '--port', '6379', '--bind', '0.0.0.0', '--protected-mode', 'no'],
    ['nginx', '-g', 'daemon off;'],
    ['kubectl', 'port-forward', 'svc/web', '8080:80', '-n', 'prod', '--address', '0.0.0.0'],
    ['kubectl', '--server=api.example.com:6443', '--user=admin', 'apply', '-k', 'overlays/prod'],
    ['kubectl', '-s', 'api.example.com:6443', '--user', 'admin', '-n', 'kube-system', 'get', 'pods'],
    ['java', '-jar', 'app.jar', '--server.port=8080', '--server.address=0.0.0.0', '--spring.datasource.username=app'],
    ['gunicorn', '-b', '0.0.0.0:8000', '-w', '4', '--timeout', '60', 'app:app'],
    ['socat', 'TCP-LISTEN:8080,fork,reuseaddr', 'TCP:backend.example.com:80'],
    ['curl', '-k', '-o', 'backup.tar.gz', '-u', 'admin', 'https://files.example.com/b.tgz'],
    ['curl', '-sS', '-p', '-x', 'proxy.example.com:3128', '-o', 'out.json', '-u', 'svc:pw', 'https://api.example.com/v1'],
    ['wget', '-O', 'out.tar.gz', '--user=ci', 'https://files.example.com/x.tar.gz'],
    ['psql', '-h', 'db.example.com', '-p', '5432', '-U', 'app', '-d', 'app'],
    ['mysql', '-h', 'db.example.com', '-P', '3306', '-u', 'app', '-p', 'x'],
    ['ssh', '-p', '2222', '-o', 'ServerAliveInterval=30', 'deploy@git.example.com'],
    ['openvpn', '--remote', 'vpn.example.com', '--port', '1194', '--proto', 'udp'],
    ['zabbix_sender', '-z', 'zbx.example.com', '-p', '10051', '-s', 'web01.example.com', '-k', 'system.cpu.load', '-o', '1.5'],
    ['iperf3', '-c', 'perf.example.com', '-p', '5201', '-t', '30'],
    ['ldapsearch', '-H', 'ldap://ldap.example.com', '-s', 'sub', '-b', 'dc=example,dc=com', '-D', 'cn=admin'],
    ['redis-cli', '-h', 'cache.example.com', '-p', '6379', '--user', 'app', '--tls', '-n', '2'],
    ['client', '--server', 'db.example.com', '--port', '5432', '--user', 'app', '--ssl', '1', '-k'],
    ['client', '--server', 'db.example.com:5432', '--user', 'app', '--pass', 'x', '--tls'],
    ['sh', '-c', 'curl -fsS -o release.tar.gz -u ci:token -k https://files.example.com/r.tgz && tar -xzf release.tar.gz'],
    ['tracker', '-o', 'prices.json', '-u', 'analyst', '--coin', 'bitcoin', '--interval', '60'],
  ]) {
    admitted(t, command)
  }
})

t.test('a second, weaker endpoint in the same command does not hide the pool before it', async (t) => {
  for (const script of [
    // xmrig takes every -o/--url as a pool of its list: the decoy is only a fallback.
    '/opt/svc -o pool.example.net:3333 --url http://decoy.example.com:80 -u worker1 -k',
    '/opt/svc -o pool.example.net:3333 -s decoy.example.com:1 -u worker1 -k',
    '/opt/svc -o pool.example.net:3333 -o decoy.example.net -u worker1 -p x',
    '/opt/svc -o stratum+tcp://pool.example.net:3333 --url http://decoy.example.com:80 -u worker1',
  ]) {
    refusedAsMinerCommandLine(t, script)
  }
})

t.test('a redirection (`2>&1`, `&>`) inside a command does not end it', async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc -o pool.example.net:3333 -u worker1 2>&1 -k')
  refusedAsMinerCommandLine(t, '/opt/svc -o pool.example.net:3333 -u worker1 &>/dev/null --tls')
  refusedAsMinerCommandLine(t, '/opt/svc -o pool.example.net:3333 >&2 -u worker1 -k')
})

t.test('a pool at an IPv6 literal (`[2001:db8::5]:3333`, as xmrig reads it) is an endpoint', async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc -o [2001:db8::5]:3333 -u worker1 -k')
})

t.test("a pool spelt with `-p` or `-P` is completed by a coin, as lolMiner's lines name one", async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc --coin ETC -p pool.example.net:3333 -u worker1')
  refusedAsMinerCommandLine(t, '/opt/svc -a kawpow -P pool.example.net:3333 -u worker1')
})

t.test("xmrig's solo-mining endpoint (`daemon+http://`, `daemon+https://` to a Monero node) is a pool endpoint", async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc -o daemon+https://node.example.net:18089 -u worker1 --daemon')
  refusedAsMinerCommandLine(t, '/opt/svc --url=daemon+http://203.0.113.9:18081 --user=worker1')
})

t.test('a port with text after it (`pool:3333/`, which xmrig reads as port 3333) is read as a host without its port', async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc -o pool.example.net:3333/ -u worker1 --donate-level 1')
  refusedAsMinerCommandLine(t, '/opt/svc -o pool.example.net:3333x -u worker1 --nicehash')
  // …which a client's URL with a path and its client flags is not.
  admitted(t, ['client', '--url', 'db.example.com:5432/app', '--user', 'app', '--tls', '-k'])
})

t.test('a pool named without a dot (`localhost:3333` for a proxy beside it, a Service name) is read as a host without its port', async (t) => {
  refusedAsMinerCommandLine(t, '/opt/svc -o localhost:3333 -u worker1 --donate-level 1')
  refusedAsMinerCommandLine(t, '/opt/svc --url=pool-proxy:3333 --user=worker1 --randomx-mode=fast')
  // …which an in-cluster client's `db:5432` with client flags is not.
  admitted(t, ['client', '--url', 'db:5432', '--user', 'app', '--tls', '-k', '-p', 'x'])
})
