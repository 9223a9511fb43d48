import { cp, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { loadPolicySet } from '../../src/policy/load.ts'
import { runPolicyTests } from '../../src/policytest/run.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

// A policy that refuses every container: any test that runs it on a pod sees a denial.
const denyAll = `id: deny-all
description: refuses every container
severity: low
action: deny
target: container
message: refused by deny-all
schema: { not: {} }
`

const pod = (name: string, image: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: shop }
spec:
  containers: [{ name: c, image: "${image}" }]
`

t.test('adding an unrelated policy breaks none of the shipped policy tests', async (t) => {
  const policies = t.testdir({ 'deny-all.yaml': denyAll })
  await cp(DEFAULT_POLICIES, policies, { recursive: true })
  const run = await runPolicyTests(join(DEFAULT_POLICIES, 'tests'), await loadPolicySet(policies))
  t.same(run.problems, [])
  t.same(
    run.outcomes.filter((outcome) => !outcome.passed),
    [],
  )
  t.ok(run.outcomes.length > 0)
})

t.test('a test runs only the policies it names', async (t) => {
  const dir = t.testdir({
    policies: {
      'deny-all.yaml': denyAll,
      'no-latest.yaml': denyAll.replaceAll('deny-all', 'no-latest').replace('{ not: {} }', '{ properties: { image: { not: { pattern: ":latest$" } } } }'),
    },
    tests: {
      'pods.yaml': `${pod('pinned', 'nginx:1.27')}---\n${pod('latest', 'nginx:latest')}`,
      'jackstop-test.yaml': `name: no-latest
policies: [no-latest]
resources: [pods.yaml]
results:
  - { object: Pod/shop/pinned, expect: allow }
  - { object: Pod/shop/latest, expect: deny, policies: [no-latest] }
`,
    },
  })
  const run = await runPolicyTests(join(dir, 'tests'), await loadPolicySet(join(dir, 'policies')))
  t.same(
    run.outcomes.map(({ object, passed, detail }) => ({ object, passed, detail })),
    [
      { object: 'Pod/shop/pinned', passed: true, detail: 'allow' },
      { object: 'Pod/shop/latest', passed: true, detail: 'deny (no-latest)' },
    ],
  )
})

t.test('a test that names no policies runs them all, as before', async (t) => {
  const dir = t.testdir({
    policies: { 'deny-all.yaml': denyAll },
    tests: {
      'pods.yaml': pod('pinned', 'nginx:1.27'),
      'jackstop-test.yaml': 'name: everything\nresources: [pods.yaml]\nresults:\n  - { object: Pod/shop/pinned, expect: allow }\n',
    },
  })
  const run = await runPolicyTests(join(dir, 'tests'), await loadPolicySet(join(dir, 'policies')))
  t.same(
    run.outcomes.map(({ passed, detail }) => ({ passed, detail })),
    [{ passed: false, detail: 'expected allow, got deny (deny-all)' }],
  )
})

t.test('naming a policy that is not in the set is an error, not a test that runs nothing', async (t) => {
  const dir = t.testdir({
    policies: { 'deny-all.yaml': denyAll },
    tests: {
      'pods.yaml': pod('pinned', 'nginx:1.27'),
      'jackstop-test.yaml':
        'name: typo\npolicies: [deny-al, deny-all, no-such]\nresources: [pods.yaml]\nresults:\n  - { object: Pod/shop/pinned, expect: allow }\n',
    },
  })
  const run = await runPolicyTests(join(dir, 'tests'), await loadPolicySet(join(dir, 'policies')))
  t.same(run.outcomes, [])
  t.same(run.problems, [
    `${join(dir, 'tests', 'jackstop-test.yaml').replace(`${process.cwd()}/`, '')}: /policies names "deny-al", "no-such", not in the policies directory`,
  ])
})

t.test('an empty or repeated policies list is refused by the test file schema', async (t) => {
  const dir = t.testdir({
    policies: { 'deny-all.yaml': denyAll },
    empty: {
      'pods.yaml': pod('p', 'nginx:1'),
      'jackstop-test.yaml': 'name: e\npolicies: []\nresources: [pods.yaml]\nresults: [{ object: Pod/shop/p, expect: deny }]\n',
    },
    twice: {
      'pods.yaml': pod('p', 'nginx:1'),
      'jackstop-test.yaml': 'name: t\npolicies: [deny-all, deny-all]\nresources: [pods.yaml]\nresults: [{ object: Pod/shop/p, expect: deny }]\n',
    },
  })
  const run = await runPolicyTests(dir, await loadPolicySet(join(dir, 'policies')))
  t.equal(run.problems.length, 2)
  t.match(run.problems[0], /empty\/jackstop-test\.yaml: \/policies must NOT have fewer than 1 items/)
  t.match(run.problems[1], /twice\/jackstop-test\.yaml: \/policies must NOT have duplicate items/)
})

t.test('every shipped policy test names the policies it exercises', async (t) => {
  const tests = join(DEFAULT_POLICIES, 'tests')
  const folders = await readdir(tests)
  t.ok(folders.length > 0)
  for (const folder of folders) {
    const { policies } = parse(await readFile(join(tests, folder, 'jackstop-test.yaml'), 'utf8')) as { policies?: string[] }
    t.ok(policies !== undefined && policies.length > 0, `policies/tests/${folder} names its policies`)
  }
})
