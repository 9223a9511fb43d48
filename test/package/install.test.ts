// The package as users get it: `npm pack`, a global install into a fresh prefix from the npm
// cache (no network), then the installed `jackstop` run by Node 24 and by an older Node.
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'

const run = promisify(execFile)
// Packing builds the whole project and installing unpacks 128 packages: slow on a shared machine.
t.setTimeout(360_000)
const root = new URL('../../', import.meta.url).pathname
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }

// Child processes get neither tap's coverage hooks nor its loader: they stand for a user's shell.
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
for (const name of ['NODE_OPTIONS', 'NODE_V8_COVERAGE', 'TAP', 'TAP_CHILD_ID']) delete env[name]
// The installed shim says `#!/usr/bin/env node`: put this Node 24 first, as a user's PATH would.
env.PATH = `${dirname(process.execPath)}:${env.PATH}`

const work = mkdtempSync(join(tmpdir(), 'jackstop-package-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

interface Packed {
  filename: string
  files: { path: string }[]
}

// npm pack runs `prepack`, that is `npm run build`: the tarball holds what the build produced.
const packed = (
  JSON.parse((await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, maxBuffer: 1 << 24 })).stdout) as Packed[]
)[0] as Packed
const prefix = join(work, 'prefix')
await run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], { env })
const installed = join(prefix, 'lib', 'node_modules', 'jackstop')
const jackstop = join(prefix, 'bin', 'jackstop')

async function runInstalled(args: string[], options: { cwd?: string; nodeArgs?: string[] } = {}) {
  const command = options.nodeArgs === undefined ? jackstop : process.execPath
  const argv = options.nodeArgs === undefined ? args : [...options.nodeArgs, jackstop, ...args]
  try {
    const { stdout, stderr } = await run(command, argv, { env, cwd: options.cwd ?? work })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string }
    return { code, stdout, stderr }
  }
}

const MINER = `apiVersion: apps/v1
kind: Deployment
metadata: { name: miner, namespace: shop }
spec:
  selector: { matchLabels: { app: miner } }
  template:
    metadata: { labels: { app: miner } }
    spec:
      containers:
        - name: worker
          image: xmrig/xmrig:6.21.0
          securityContext: { privileged: true }
`

t.test('the tarball publishes only what runs: the entry, the compiled CLI and policies, the manifests', async (t) => {
  const paths = packed.files.map((file) => file.path)
  t.same(
    paths.filter((path) => !/^(bin|dist|manifests)\//.test(path) && !['package.json', 'README.md', 'LICENSE'].includes(path)),
    [],
  )
  t.same(
    paths.filter((path) => (path.endsWith('.ts') && !path.endsWith('.d.ts')) || path.startsWith('dist/test') || path.startsWith('dist/policies/tests')),
    [],
    'no TypeScript but declarations (Node does not strip types under node_modules), no tests',
  )
  for (const path of [
    'bin/jackstop.js',
    'dist/src/cli/main.js',
    'dist/policies/miner-images.js',
    'dist/policies/privileged.yaml',
    'dist/policies/data/miner-signals.yaml',
    'dist/src/policy/api.d.ts',
  ]) {
    t.ok(paths.includes(path), path)
  }
})

t.test('the installed jackstop prints its version', async (t) => {
  const result = await runInstalled(['--version'])
  t.same(result, { code: 0, stdout: `${version}\n`, stderr: '' })
})

t.test('under an older Node the installed jackstop says it needs Node 24 and exits 2', async (t) => {
  // process.versions is what the shim reads; Node 22 is faked so the test runs on one Node.
  const fakeNode22 = `data:text/javascript,Object.defineProperty(process,'versions',{value:{...process.versions,node:'22.11.0'}})`
  const result = await runInstalled(['check', '-'], { nodeArgs: ['--import', fakeNode22] })
  t.equal(result.code, 2)
  t.equal(result.stdout, '')
  t.match(result.stderr, /^jackstop: needs Node\.js 24 or newer, and this is Node\.js 22\.11\.0 /)
})

t.test('the installed jackstop checks manifests with its compiled default policies: a miner is refused, its own install passes', async (t) => {
  writeFileSync(join(work, 'miner.yaml'), MINER)
  const shipped = ['deployment.yaml', 'webhooks.yaml'].map((name) => join(installed, 'manifests', name))
  const result = await runInstalled(['check', '-o', 'json', 'miner.yaml', ...shipped])
  t.equal(result.code, 1, result.stderr)
  const report = JSON.parse(result.stdout) as { objects: { kind: string; name: string; findings: { policy: string; action: string }[] }[] }
  const denied = report.objects.map((object) => ({
    object: `${object.kind}/${object.name}`,
    policies: new Set(object.findings.filter((finding) => finding.action === 'deny').map((finding) => finding.policy)),
  }))
  t.same(
    denied.map((entry) => entry.object),
    ['Deployment/miner', 'Deployment/jackstop', 'ValidatingWebhookConfiguration/jackstop', 'MutatingWebhookConfiguration/jackstop'],
  )
  t.ok(denied[0]?.policies.has('miner-images') && denied[0]?.policies.has('privileged'), 'the miner: a known image, privileged')
  t.same(
    denied.slice(1).filter((entry) => entry.policies.size > 0),
    [],
    'jackstop itself passes',
  )
})

t.test('the installed jackstop loads TypeScript policies from a directory outside node_modules, as the image mounts them', async (t) => {
  // The Deployment mounts the policies ConfigMap (TypeScript sources) at /app/policies.
  const policies = join(work, 'policies')
  cpSync(join(root, 'policies'), policies, { recursive: true, filter: (source) => !source.includes(`${join(root, 'policies', 'tests')}`) })
  const result = await runInstalled(['check', '--policies', policies, '-o', 'json', 'miner.yaml'])
  t.equal(result.code, 1, result.stderr)
  t.match(result.stdout, /"policy": "miner-images"/)
})

t.test('the installed jackstop certs writes an overlay of the manifests it ships that kustomize renders', async (t) => {
  const overlay = join(work, 'overlay')
  const result = await runInstalled(['certs', '--dir', overlay, '--namespace', 'guard', '--image', 'registry.example/jackstop:0.1.0'])
  t.equal(result.code, 0, result.stderr)
  const rendered = (await run('kubectl', ['kustomize', overlay], { env })).stdout
  t.match(rendered, /image: registry\.example\/jackstop:0\.1\.0/)
  t.match(rendered, /name: jackstop\n {6}namespace: guard\n {6}path: \/validate\n/)
})
