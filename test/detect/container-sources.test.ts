// Everything a container sees is read: annotations and labels through the downward API,
// ConfigMaps of the same review, and env values joined by the shell at run time.
import t from 'tap'
import { podEnvironment } from '../../src/detect/container-sources.ts'
import { containerTexts } from '../../src/detect/container-text.ts'
import { ExpansionAllowance } from '../../src/detect/expansion.ts'
import { expandShellVariables } from '../../src/detect/shell-expansion.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { GROWTH, growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } from '../helpers/linear-cost.ts'

const configMap = (name: string, data: Record<string, unknown>, namespace = 'ns'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
})

function texts(container: Record<string, unknown>, pod: { metadata?: unknown; spec?: unknown; related?: KubeObject[] } = {}) {
  const environment = podEnvironment(pod.metadata, pod.spec ?? {}, pod.related, 'ns')
  return containerTexts(container as unknown as V1Container, undefined, environment).map(
    ({ field, text, configOnly }) => `${field}: ${text}${configOnly === true ? ' (config only)' : ''}`,
  )
}

t.test('annotations and labels projected by a mounted downwardAPI volume are read, one value each', async (t) => {
  const spec = {
    volumes: [
      {
        name: 'info',
        downwardAPI: {
          items: [
            { path: 'a', fieldRef: { fieldPath: "metadata.annotations['run']" } },
            { path: 'l', fieldRef: { fieldPath: 'metadata.labels' } },
          ],
        },
      },
      { name: 'other', projected: { sources: [{ downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'metadata.annotations' } }] } }] } },
      'not a volume',
    ],
  }
  const metadata = { annotations: { run: 'curl x | sh', note: 'n' }, labels: { pool: 'p.example', n: 1 } }
  t.same(texts({ volumeMounts: [{ name: 'info' }, 'junk'] }, { metadata, spec }), [
    `volume "info" annotations['run']: curl x | sh`,
    `volume "info" labels['pool']: p.example`,
  ])
  t.same(texts({ volumeMounts: [{ name: 'other' }] }, { metadata, spec }), [
    `volume "other" annotations['run']: curl x | sh`,
    `volume "other" annotations['note']: n`,
  ])
  t.same(texts({}, { metadata, spec }), [], 'a volume the container does not mount is not read')
})

t.test('env values from annotations, labels and ConfigMap keys are read and expanded into the command', async (t) => {
  const metadata = { annotations: { args: '-o p.example:1' }, labels: { tier: 'web' } }
  const related = [configMap('cm', { host: 'h.example', n: 2 }), configMap('cm', { host: 'other-namespace' }, 'elsewhere'), { kind: 'ConfigMap', metadata: {} }]
  const container = {
    command: ['/app', '$(ARGS)', '$(HOST)'],
    env: [
      { name: 'ARGS', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['args']" } } },
      { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
      { name: 'HOST', valueFrom: { configMapKeyRef: { name: 'cm', key: 'host' } } },
      { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ],
  }
  t.same(texts(container, { metadata, related: related as KubeObject[] }), [
    'env[0].valueFrom: -o p.example:1',
    'env[1].valueFrom: web',
    'env[2].valueFrom: h.example',
    'command[0]: /app',
    'command[1]: -o p.example:1',
    'command[2]: h.example',
  ])
})

t.test('envFrom ConfigMaps and mounted ConfigMap files are read; env entries override envFrom', async (t) => {
  const related = [configMap('env', { ARGS: '-k', N: 1 }), configMap('files', { 'config.json': '{"pools":[]}' })]
  const spec = {
    volumes: [
      { name: 'cfg', configMap: { name: 'files' } },
      { name: 'p', projected: { sources: [{ configMap: { name: 'env' } }] } },
    ],
  }
  const container = {
    envFrom: [{ configMapRef: { name: 'env' }, prefix: 'X_' }, { secretRef: { name: 's' } }],
    env: [{ name: 'X_ARGS', value: '--tls' }],
    command: ['sh', '-c', 'app $X_ARGS'],
    volumeMounts: [{ name: 'cfg' }, { name: 'p' }],
  }
  t.same(texts(container, { spec, related }), [
    'envFrom[0].configMapRef["ARGS"]: -k',
    'env[0].value: --tls',
    'command[0]: sh',
    'command[1]: -c',
    'command[2]: app $X_ARGS',
    'volume "cfg" configMap "files" ["config.json"]: {"pools":[]}',
    'volume "p" configMap "env" ["ARGS"]: -k',
    'command[2] (shell-expanded): app --tls',
    // A file read in full may be run by a shell, so it is read unquoted too (docs/detection.md).
    'volume "cfg" configMap "files" ["config.json"] (shell-unquoted): {pools:[]}',
  ])
})

t.test('shell ${A}${B} and $A$B joins are read as the shell will run them', async (t) => {
  const lookup = new Map([
    ['P1', 'stratum+tc'],
    ['P2', 'p://pool.example:3333'],
    ['H', 'x'],
  ])
  const allowance = new ExpansionAllowance()
  t.equal(
    expandShellVariables('./app -o ${P1}${P2} $H${H:-d} $UNKNOWN ${UNKNOWN} $1 $', lookup, allowance),
    './app -o stratum+tcp://pool.example:3333 xx $UNKNOWN ${UNKNOWN} $1 $',
  )
  t.equal(expandShellVariables('no dollar', lookup, allowance), 'no dollar')
  t.equal(expandShellVariables('${P1 unclosed', lookup, allowance), '${P1 unclosed')
})

t.test('shell expansion is capped like $(VAR) expansion: doubling values are refused', async (t) => {
  const allowance = new ExpansionAllowance(1000)
  t.throws(() => expandShellVariables('$A$A$A$A', new Map([['A', 'x'.repeat(400)]]), allowance, 'args[0]'), {
    code: 'JACKSTOP_ERR_UNREVIEWABLE',
    message: /args\[0\]: shell expansion takes this container's text past the cap of 1000 characters; refused/,
  })
})

t.test('shell expansion costs time linear in its input', async (t) => {
  const lookup = new Map([['A', 'value']])
  for (const unit of ['${', '$A', '${A}', '$']) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => expandShellVariables(text, lookup, new ExpansionAllowance(64 * 1024 * 1024)),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
  }
})

t.test('a mounted ConfigMap file is read as a script only when the container names it, else for a config only', async (t) => {
  const related = [configMap('files', { 'run.sh': 'sh -c x', 'config.json': '{}' })]
  const spec = { volumes: [{ name: 'cfg', configMap: { name: 'files' } }] }
  const mounted = { volumeMounts: [{ name: 'cfg', mountPath: '/etc/app/' }] }
  t.same(texts({ command: ['sh', '/etc/app/run.sh'], ...mounted }, { spec, related }), [
    'command[0]: sh',
    'command[1]: /etc/app/run.sh',
    'volume "cfg" configMap "files" ["run.sh"]: sh -c x',
    'volume "cfg" configMap "files" ["config.json"]: {} (config only)',
  ])
  t.same(texts({ args: ['--data=/etc/app'], ...mounted }, { spec, related }), [
    'args[0]: --data=/etc/app',
    'volume "cfg" configMap "files" ["run.sh"]: sh -c x (config only)',
    'volume "cfg" configMap "files" ["config.json"]: {} (config only)',
  ])
  const globs = Array.from({ length: 70 }, (_, index) => `/g${index}/*`).join(' ')
  t.same(
    texts({ args: [globs], ...mounted }, { spec, related }).slice(1),
    ['volume "cfg" configMap "files" ["run.sh"]: sh -c x', 'volume "cfg" configMap "files" ["config.json"]: {}'],
    'past the glob limit every file counts as named (fail closed, and linear)',
  )
})

t.test('items name files, a subPath mount shows the files under it, and entries without a name or path are read as written', async (t) => {
  const related = [configMap('files', { 'run.sh': 'sh -c x', 'c.json': '{}' })]
  const spec = {
    volumes: [
      { name: 'cfg', configMap: { name: 'files', items: [{ key: 'run.sh', path: 'bin/run.sh' }, { key: 'c.json' }, 'junk'] } },
      { configMap: { name: 'files' } },
    ],
  }
  t.same(texts({ command: ['/opt/bin/run.sh'], volumeMounts: [{ name: 'cfg', mountPath: '/opt/bin', subPath: 'bin/' }] }, { spec, related }), [
    'command[0]: /opt/bin/run.sh',
    'volume "cfg" configMap "files" ["run.sh"]: sh -c x',
  ])
  t.same(texts({ args: ['--c=/etc/c.json'], volumeMounts: [{ name: 'cfg', mountPath: '/etc' }] }, { spec, related }), [
    'args[0]: --c=/etc/c.json',
    'volume "cfg" configMap "files" ["run.sh"]: sh -c x (config only)',
    'volume "cfg" configMap "files" ["c.json"]: {}',
  ])
})

t.test('env values and envFrom values with a $ are read shell-expanded too', async (t) => {
  const related = [configMap('env', { RUN: 'sh $A' })]
  const container = {
    envFrom: [{ configMapRef: { name: 'env' } }],
    env: [
      { name: 'A', value: 'x' },
      { name: 'B', value: 'run $A' },
    ],
  }
  t.same(texts(container, { related }), [
    'envFrom[0].configMapRef["RUN"]: sh $A',
    'env[0].value: x',
    'env[1].value: run $A',
    'envFrom[0].configMapRef["RUN"] (shell-expanded): sh x',
    'env[1].value (shell-expanded): run x',
  ])
})

t.test('a malformed env list fails the reading (closed) rather than being skipped', async (t) => {
  t.throws(() => texts({ env: { name: 'A', value: 'x' } }), TypeError)
})
