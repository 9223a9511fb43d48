// `jackstop check` reads a pod's ConfigMaps from the same manifests (issue 13, item 5): a
// mounted file is read for a miner config always, and as a script only when the container runs
// it (its command, args or env name the file, a glob over it, or its directory as an operand).
// A ConfigMap of policy source that names xmrig as data is not a miner.
import t from 'tap'
import { runCli } from '../helpers/cli.ts'

const WALLET = '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD'

function configMap(name: string, data: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data })
}

function deployment(container: Record<string, unknown>, volume: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'worker', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'worker' } },
      template: {
        metadata: { labels: { app: 'worker' } },
        spec: { containers: [{ name: 'worker', image: 'registry.example.com/shop/worker:1.0', ...container }], volumes: [{ name: 'files', ...volume }] },
      },
    },
  })
}

/** The findings `check` reports on the Deployment alone (the ConfigMap is judged on its own by miner-configmaps). */
async function deploymentFindings(documents: string[]): Promise<{ code: number | null; findings: { policy: string; action: string; path: string }[] }> {
  const result = await runCli(['check', '--output', 'json', '-'], { input: documents.join('\n---\n') })
  const report = JSON.parse(result.stdout) as { objects: { kind: string; findings: { policy: string; action: string; path: string }[] }[] }
  const found = report.objects.find((object) => object.kind === 'Deployment')?.findings ?? []
  return { code: result.code, findings: found.map(({ policy, action, path }) => ({ policy, action, path })) }
}

const xmrigConfig = JSON.stringify({ 'donate-level': 1, pools: [{ url: 'pool.example.net:3333', user: WALLET, pass: 'x', keepalive: true, tls: true }] })
const minerScript = `#!/bin/sh\nexec /opt/tools/worker -o pool.example.net:3333 -u ${WALLET} -k --donate-level 1\n`
// Policy source held as data: lists of miner names and pools a detection policy reads.
const policySource = [
  '// Names the scanner looks for; none of this runs.',
  "export const programs = ['xmrig', 'xmr-stak', 'cpuminer', 'nbminer', 't-rex']",
  "export const pools = ['supportxmr.com', 'nanopool.org', 'moneroocean.stream']",
  "export const example = 'xmrig -o pool.supportxmr.com:443 -u WALLET -k --tls'",
].join('\n')

t.test('a Deployment that runs a renamed miner with an xmrig config from its ConfigMap is refused by check', async (t) => {
  const { code, findings } = await deploymentFindings([
    configMap('worker-config', { 'config.json': xmrigConfig }),
    deployment(
      { command: ['/opt/tools/worker', '-c', '/etc/worker/config.json'], volumeMounts: [{ name: 'files', mountPath: '/etc/worker' }] },
      { configMap: { name: 'worker-config' } },
    ),
  ])
  t.equal(code, 1)
  t.same(findings, [
    { policy: 'miner-signals', action: 'deny', path: 'spec.template.spec.containers[0].volume "files" configMap "worker-config" ["config.json"]' },
  ])
})

t.test('an xmrig config the container is not told about is still read as a config', async (t) => {
  const { findings } = await deploymentFindings([
    configMap('worker-config', { 'config.json': xmrigConfig }),
    deployment({ command: ['/opt/tools/worker'], volumeMounts: [{ name: 'files', mountPath: '/etc/worker' }] }, { configMap: { name: 'worker-config' } }),
  ])
  t.same(
    findings.map(({ policy }) => policy),
    ['miner-signals'],
  )
})

t.test('a mounted script is read as a script when the container runs it, by path, glob or directory', async (t) => {
  const runs = {
    'sh and the file': ['sh', '/scripts/start.sh'],
    'the file as the program': ['/scripts/start.sh'],
    'a glob over the directory': ['sh', '-c', 'for f in /scripts/*.sh; do sh "$f"; done'],
    'the directory as an operand': ['run-parts', '--verbose', '/scripts'],
    'the path in an env value': ['sh', '-c', '"$START"'],
  }
  for (const [name, command] of Object.entries(runs)) {
    const { findings } = await deploymentFindings([
      configMap('boot', { 'start.sh': minerScript }),
      deployment(
        {
          command,
          env: [{ name: 'START', value: '/scripts/start.sh' }].filter(() => name.includes('env')),
          volumeMounts: [{ name: 'files', mountPath: '/scripts' }],
        },
        { configMap: { name: 'boot', defaultMode: 0o755 } },
      ),
    ])
    t.same(
      findings.map(({ policy, action }) => `${policy} ${action}`),
      ['miner-signals deny'],
      name,
    )
  }
})

t.test('a script file the container never runs is data, and so is a directory given to an option', async (t) => {
  for (const command of [
    ['/app/server', '--policies=/scripts'],
    ['/app/server', '--config=/etc/app/app.yaml'],
  ]) {
    const { findings } = await deploymentFindings([
      configMap('boot', { 'start.sh': minerScript }),
      deployment({ command, volumeMounts: [{ name: 'files', mountPath: '/scripts' }] }, { configMap: { name: 'boot' } }),
    ])
    t.same(findings, [], command.join(' '))
  }
})

t.test('a ConfigMap of policy source that names xmrig is data to the Deployment that mounts it', async (t) => {
  const { findings } = await deploymentFindings([
    configMap('detector-policies', { 'miner-names.ts': policySource }),
    deployment(
      { args: ['serve', '--policies=/app/policies'], volumeMounts: [{ name: 'files', mountPath: '/app/policies', readOnly: true }] },
      { configMap: { name: 'detector-policies', items: [{ key: 'miner-names.ts', path: 'miner-names.ts' }] } },
    ),
  ])
  t.same(findings, [])
})

t.test('only the files a mount shows are read: items pick keys and subPath picks one file', async (t) => {
  const files = { 'start.sh': minerScript, 'readme.txt': 'nothing' }
  const picked = await deploymentFindings([
    configMap('boot', files),
    deployment(
      { command: ['sh', '/scripts/run.sh'], volumeMounts: [{ name: 'files', mountPath: '/scripts' }] },
      { configMap: { name: 'boot', items: [{ key: 'start.sh', path: 'run.sh' }] } },
    ),
  ])
  t.same(
    picked.findings.map(({ policy }) => policy),
    ['miner-signals'],
    'the key start.sh is the file run.sh',
  )
  const other = await deploymentFindings([
    configMap('boot', files),
    deployment(
      { command: ['sh', '/opt/readme.txt'], volumeMounts: [{ name: 'files', mountPath: '/opt/readme.txt', subPath: 'readme.txt' }] },
      { configMap: { name: 'boot' } },
    ),
  ])
  t.same(other.findings, [], 'a subPath mount of readme.txt does not show start.sh')
})

t.test('a mounted script that hides its pool behind quotes is refused by check, as the same script in sh -c is', async (t) => {
  const { code, findings } = await deploymentFindings([
    configMap('boot', { 'start.sh': `#!/bin/sh\nexec /opt/tools/worker -o pool.supp''ortxmr.com -u worker1\n` }),
    deployment({ command: ['sh', '/scripts/start.sh'], volumeMounts: [{ name: 'files', mountPath: '/scripts' }] }, { configMap: { name: 'boot' } }),
  ])
  t.equal(code, 1)
  t.same(findings, [
    { policy: 'miner-signals', action: 'deny', path: 'spec.template.spec.containers[0].volume "files" configMap "boot" ["start.sh"] (shell-unquoted)' },
  ])
})
