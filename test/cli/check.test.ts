import { join } from 'node:path'
import t from 'tap'
import { runCli, spawnCli } from '../helpers/cli.ts'

const minerPod = `apiVersion: v1
kind: Pod
metadata:
  name: worker
  namespace: shop
spec:
  containers:
    - name: c
      image: xmrig/xmrig:6.21.0
`
const cleanDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.27" }]
`
const warnedPod = `apiVersion: v1
kind: Pod
metadata: { name: tool, namespace: shop }
spec:
  containers: [{ name: tool, image: "ubuntu:24.04", args: ["--donate-level", "1"] }]
`

t.test('a directory of YAML and JSON, multi-document files and Lists is checked; a denial exits 1', async (t) => {
  const dir = t.testdir({
    'app.yaml': `${cleanDeployment}---\n${minerPod}`,
    nested: {
      'list.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'host', namespace: 'ops' },
            spec: { hostPID: true, containers: [{ name: 'c', image: 'busybox' }] },
          },
        ],
      }),
      'notes.txt': 'ignored',
    },
  })
  const result = await runCli(['check', dir])
  t.equal(result.code, 1)
  const path = (file: string) => join(dir, file)
  t.equal(
    result.stdout,
    [
      `Pod shop/worker  ${path('app.yaml')}:11`,
      '  DENY  miner-images             spec.containers[0].image',
      '        spec.containers[0] "c": image "xmrig/xmrig:6.21.0" is a known crypto-miner image (Sysdig, 2022-11) (miner-images)',
      `Pod ops/host  ${path('nested/list.json')}:1`,
      '  DENY  host-namespaces          spec.hostPID',
      "        spec.hostPID: sharing the host's namespaces exposes the node (host-namespaces)",
      '3 objects checked, 2 with findings: 2 deny, 0 warn, 0 audit',
      '',
    ].join('\n'),
  )
})

t.test('stdin works, so kubectl kustomize and helm template pipe into it; clean input exits 0', async (t) => {
  const result = await runCli(['check', '-'], { input: cleanDeployment })
  t.equal(result.code, 0)
  t.equal(result.stdout, '1 objects checked, 0 with findings: 0 deny, 0 warn, 0 audit\n')
})

t.test('warnings pass by default and fail with --fail-on warn', async (t) => {
  t.equal((await runCli(['check', '-'], { input: warnedPod })).code, 0)
  t.equal((await runCli(['check', '--fail-on', 'warn', '-'], { input: warnedPod })).code, 1)
})

t.test('a document that is not YAML is reported with file and line; the others are still checked; exit 2', async (t) => {
  const dir = t.testdir({ 'mixed.yaml': `${minerPod}---\nbroken: [\n---\nnot: a kubernetes object\n---\n${cleanDeployment}` })
  const result = await runCli(['check', '-o', 'json', join(dir, 'mixed.yaml')])
  t.equal(result.code, 2)
  const report = JSON.parse(result.stdout) as {
    objects: { kind: string; name: string; source: string }[]
    problems: { source: string; message: string }[]
    skipped: { source: string; message: string }[]
    summary: unknown
  }
  t.same(
    report.objects.map(({ kind, name, source }) => `${kind}/${name}@${source.split('/').pop()}`),
    ['Pod/worker@mixed.yaml:1', 'Deployment/web@mixed.yaml:15'],
  )
  t.match(report.problems, [{ source: `${join(dir, 'mixed.yaml')}:11`, message: /^not valid YAML: / }])
  // A document with no kind is no object kubectl could apply: skipped with a notice (an error with --strict).
  t.same(report.skipped, [{ source: `${join(dir, 'mixed.yaml')}:13`, message: 'not a Kubernetes object (no kind)' }])
  t.same(report.summary, { objects: 2, deny: 1, warn: 0 })
})

t.test('a path that does not exist is reported, not a crash', async (t) => {
  const result = await runCli(['check', '/nonexistent/manifests'])
  t.equal(result.code, 2)
  t.match(result.stdout, /ERROR \/nonexistent\/manifests: cannot read: ENOENT/)
})

t.test('SARIF output names a rule per policy and locates each result at its manifest line', async (t) => {
  const dir = t.testdir({ 'pod.yaml': minerPod })
  const result = await runCli(['check', '-o', 'sarif', '--sarif-root', dir, dir])
  const sarif = JSON.parse(result.stdout) as {
    version: string
    runs: { tool: { driver: { rules: { id: string }[] } }; results: unknown[] }[]
  }
  t.equal(sarif.version, '2.1.0')
  t.ok(sarif.runs[0]?.tool.driver.rules.some((rule) => rule.id === 'miner-images'))
  t.same(sarif.runs[0]?.results, [
    {
      ruleId: 'miner-images',
      level: 'error',
      message: { text: 'Pod shop/worker: spec.containers[0] "c": image "xmrig/xmrig:6.21.0" is a known crypto-miner image (Sysdig, 2022-11) (miner-images)' },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'pod.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
          logicalLocations: [{ name: 'spec.containers[0].image', fullyQualifiedName: 'Pod shop/worker/spec.containers[0].image', kind: 'resource' }],
        },
      ],
    },
  ])
})

t.test('colours appear on a terminal or when forced; NO_COLOR and pipes get plain text', async (t) => {
  const forced = await runCli(['check', '-'], { input: minerPod, env: { FORCE_COLOR: '1' } })
  t.match(forced.stdout, '\u001b[31mDENY \u001b[39m')
  const terminal = await runCli(['check', '-'], { input: minerPod, env: { TERM: 'xterm-256color' }, tty: true })
  t.match(terminal.stdout, '\u001b[31mDENY \u001b[39m')
  const noColor = await runCli(['check', '-'], { input: minerPod, env: { TERM: 'xterm-256color', NO_COLOR: '1' }, tty: true })
  t.notMatch(noColor.stdout, '\u001b[')
  t.notMatch((await runCli(['check', '-'], { input: minerPod })).stdout, '\u001b[')
})

t.test('the binary reads a pipe and the environment and exits 1 on a denial, in colour only when forced', async (t) => {
  const colour = await spawnCli(['check', '-'], { input: minerPod, env: { FORCE_COLOR: '1', NO_COLOR: '' }, measured: true })
  t.equal(colour.code, 1)
  t.match(colour.stdout, '\u001b[31mDENY \u001b[39m')
  const plain = await spawnCli(['check', '-'], { input: minerPod, env: { FORCE_COLOR: '0' } })
  t.notMatch(plain.stdout, '\u001b[')
})

t.test('objects without a name are shown by generateName, or as unnamed', async (t) => {
  const input = 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: job-}\nspec: {containers: [{name: c, image: xmrig/xmrig}]}\n---\nkind: ConfigMap\n'
  const result = await runCli(['check', '-o', 'json', '-'], { input })
  const report = JSON.parse(result.stdout) as { objects: { name: string }[] }
  t.same(
    report.objects.map((object) => object.name),
    ['job-', '(unnamed)'],
  )
})
