import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import ts from 'typescript'
import { evaluate } from '../../src/engine/evaluate.ts'
import { policyKit } from '../../src/policy/kit.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

const api = fileURLToPath(new URL('../../src/policy/api.ts', import.meta.url))

const latestTag = `import type { ContainerValidationPolicy } from 'jackstop/policy'

export default {
  id: 'no-latest-tag',
  description: 'Refuses images without a tag or with :latest.',
  severity: 'low',
  action: 'deny',
  target: 'container',
  mode: 'validate',
  prepare: ({ kit }) => (container) => {
    const tag = kit.normaliseImageRef(container.image ?? '').tag
    return tag === undefined || tag === 'latest' ? [{ field: 'image', message: 'image: pin a tag' }] : []
  },
} satisfies ContainerValidationPolicy
`

const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image }] } })

t.test('in a checkout, TypeScript resolves jackstop/policy to the API source through the package exports', async (t) => {
  const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url))
  const { options } = ts.parseJsonConfigFileContent(ts.readConfigFile(tsconfig, ts.sys.readFile).config, ts.sys, dirname(tsconfig))
  const policy = fileURLToPath(new URL('../../policies/miner-images.ts', import.meta.url))
  t.equal(ts.resolveModuleName('jackstop/policy', policy, options, ts.sys).resolvedModule?.resolvedFileName, api)
})

t.test('the API holds types only, so a policy importing it needs no jackstop package at run time', async (t) => {
  t.same(Object.keys(await import('../../src/policy/api.ts')), [])
})

t.test('a policy that imports the API loads from a directory outside the repository, as from a ConfigMap', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'jackstop-api-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'no-latest-tag.ts'), latestTag)
  const set = await loadPolicySet(dir)
  t.same(
    evaluate({ object: pod('nginx') }, set).findings.map((finding) => finding.path),
    ['spec.containers[0].image'],
  )
  t.same(evaluate({ object: pod('nginx:1.27') }, set).findings, [])
})

t.test('a policy cannot change the kit that other policies receive', async (t) => {
  const meddler = `export default {
  id: 'meddler', description: 'rewrites a helper', severity: 'low', action: 'deny', target: 'container', mode: 'validate',
  prepare: ({ kit }) => {
    kit.isWindowsPod = () => true
    return () => []
  },
}
`
  const dir = t.testdir({ 'meddler.ts': meddler })
  await t.rejects(loadPolicySet(dir), {
    code: 'JACKSTOP_ERR_POLICY_LOAD',
    message: /meddler\.ts: prepare\(\) failed: Cannot assign to read only property 'isWindowsPod'/,
  })
})

t.test('shipped policies import only the API (types) and their sibling policy files', async (t) => {
  const names = (await readdir(DEFAULT_POLICIES)).filter((name) => name.endsWith('.ts'))
  t.ok(names.length > 0)
  for (const name of names) {
    const text = await readFile(join(DEFAULT_POLICIES, name), 'utf8')
    for (const [, statement, from] of text.matchAll(/^(import\b[^'"]*)['"]([^'"]+)['"]/gm)) {
      const typeOnly = /^import type\b/.test(statement ?? '')
      const allowed = (from === 'jackstop/policy' && typeOnly) || /^\.\/[\w-]+\.ts$/.test(from ?? '')
      t.ok(allowed, `${name}: ${statement}'${from}'`)
    }
  }
})

t.test("kit.containerTexts without the pod's context reads the container's own fields", async (t) => {
  const container = { name: 'c', image: 'busybox', command: ['sh', '-c'], args: ['run --pool $(POOL)'], env: [{ name: 'POOL', value: 'pool.example:3333' }] }
  const texts = policyKit.signals.containerTexts(container).map(({ text }) => text)
  t.ok(texts.includes('run --pool pool.example:3333'), texts.join(' | '))
})
