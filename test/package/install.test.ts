// The package as users get it: one `npm pack` (which builds), its tarball unpacked where a global
// install puts it, then the installed `jackstop` run by Node 24 and by an older Node.
import { execFile } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'

const run = promisify(execFile)
// Packing builds the whole project (two tsc runs): slow on a shared machine.
t.setTimeout(360_000)
const root = new URL('../../', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string
  bin: Record<string, string>
  dependencies: Record<string, string>
}
const { version } = manifest

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

// What `npm install --global --prefix PREFIX TARBALL` leaves, without unpacking 128 dependencies
// (15 s): the tarball's files in PREFIX/lib/node_modules/jackstop, each declared dependency beside
// it (a link to the copy npm ci installed, so its own dependencies resolve), and the bin link.
// Only declared dependencies resolve from the package: an import of a devDependency or of a
// dependency's dependency fails here as it would for a user.
const prefix = join(work, 'prefix')
const modules = join(prefix, 'lib', 'node_modules')
const installed = join(modules, 'jackstop')
mkdirSync(installed, { recursive: true })
await run('tar', ['-xzf', join(work, packed.filename), '-C', installed, '--strip-components=1'], { env })
for (const name of Object.keys(manifest.dependencies)) {
  mkdirSync(dirname(join(modules, name)), { recursive: true })
  symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir')
}
mkdirSync(join(prefix, 'bin'))
const jackstop = join(prefix, 'bin', 'jackstop')
symlinkSync(join('..', 'lib', 'node_modules', 'jackstop', manifest.bin.jackstop as string), jackstop)
// npm's bin-links makes the linked file executable, whatever mode the tarball gives it.
chmodSync(join(installed, manifest.bin.jackstop as string), 0o755)

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

// The five runs start together (each is a Node start loading the compiled CLI); each test awaits its own.
writeFileSync(join(work, 'miner.yaml'), MINER)
// The Deployment mounts the policies ConfigMap (TypeScript sources) at /app/policies.
const policies = join(work, 'policies')
cpSync(join(root, 'policies'), policies, { recursive: true, filter: (source) => !source.includes(`${join(root, 'policies', 'tests')}`) })
const overlay = join(work, 'overlay')
// process.versions is what the shim reads; Node 22 is faked so the test runs on one Node.
const fakeNode22 = `data:text/javascript,Object.defineProperty(process,'versions',{value:{...process.versions,node:'22.11.0'}})`
const shipped = ['deployment.yaml', 'webhooks.yaml'].map((name) => join(installed, 'manifests', name))
const runs = {
  version: runInstalled(['--version']),
  olderNode: runInstalled(['check', '-'], { nodeArgs: ['--import', fakeNode22] }),
  check: runInstalled(['check', '-o', 'json', 'miner.yaml', ...shipped]),
  typeScriptPolicies: runInstalled(['check', '--policies', policies, '-o', 'json', 'miner.yaml']),
  certs: runInstalled(['certs', '--dir', overlay, '--namespace', 'guard', '--image', 'registry.example/jackstop:0.1.0']),
}

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
  const result = await runs.version
  t.same(result, { code: 0, stdout: `${version}\n`, stderr: '' })
})

t.test('under an older Node the installed jackstop says it needs Node 24 and exits 2', async (t) => {
  const result = await runs.olderNode
  t.equal(result.code, 2)
  t.equal(result.stdout, '')
  t.match(result.stderr, /^jackstop: needs Node\.js 24 or newer, and this is Node\.js 22\.11\.0 /)
})

t.test('the installed jackstop checks manifests with its compiled default policies: a miner is refused, its own install passes', async (t) => {
  const result = await runs.check
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
  const result = await runs.typeScriptPolicies
  t.equal(result.code, 1, result.stderr)
  t.match(result.stdout, /"policy": "miner-images"/)
})

t.test('the installed jackstop certs writes an overlay of the manifests it ships that kustomize renders', async (t) => {
  const result = await runs.certs
  t.equal(result.code, 0, result.stderr)
  const rendered = (await run('kubectl', ['kustomize', overlay], { env })).stdout
  t.match(rendered, /image: registry\.example\/jackstop:0\.1\.0/)
  t.match(rendered, /name: jackstop\n {6}namespace: guard\n {6}path: \/validate\n/)
})
