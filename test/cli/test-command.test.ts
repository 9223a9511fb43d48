import t from 'tap'
import { runCli, spawnCli } from '../helpers/cli.ts'

t.test("the project's default policies pass their own policy tests, through the binary", async (t) => {
  const result = await spawnCli(['test', new URL('../../policies/tests', import.meta.url).pathname])
  t.equal(result.code, 0)
  // Not pinned to a number: every new policy brings its own cases.
  t.match(result.stdout, /^[1-9][0-9]* passed, 0 failed$/m)
  t.notMatch(result.stdout, /^FAIL/m)
})

const pod = `apiVersion: v1
kind: Pod
metadata: { name: worker, namespace: shop }
spec:
  containers: [{ name: c, image: "xmrig/xmrig" }]
`

t.test('a wrong expectation fails with what was expected and what happened; exit 1', async (t) => {
  const dir = t.testdir({
    case: {
      'pod.yaml': pod,
      'jackstop-test.yaml': `name: team policy
resources: [pod.yaml]
results:
  - { object: Pod/shop/worker, expect: allow }
  - { object: Pod/shop/worker, expect: deny, policies: [privileged] }
  - { object: Pod/shop/missing, expect: allow }
  - object: Pod/shop/worker
    expect: deny
    patch: [{ op: add, path: /spec/containers/0/securityContext, value: {} }]
  - object: Pod/shop/worker
    expect: deny
    patch: [{ op: replace, path: /spec/nothing/here, value: 1 }]
`,
    },
  })
  const result = await runCli(['test', dir])
  t.equal(result.code, 1)
  const lines = result.stdout.trim().split('\n')
  t.same(lines.slice(0, 3), [
    'FAIL team policy: Pod/shop/worker: expected allow, got deny (miner-images)',
    'FAIL team policy: Pod/shop/worker: expected deny by privileged, got miner-images',
    'FAIL team policy: Pod/shop/missing: no such object in the resources',
  ])
  t.match(lines[3], /^FAIL team policy: Pod\/shop\/worker: patch differs: got \[\{"op":"add","path":"\/spec\/containers\/0\/securityContext"/)
  t.match(lines[4], /^FAIL team policy: Pod\/shop\/worker: the expected patch does not apply: /)
  t.equal(lines.at(-1), '0 passed, 5 failed')
})

t.test('a test against a team’s own policies directory', async (t) => {
  const dir = t.testdir({
    policies: {
      'no-latest.yaml': `id: no-latest
description: images must be pinned
severity: low
action: warn
target: container
message: uses the latest tag
schema:
  properties:
    image: { not: { pattern: ":latest$" } }
`,
    },
    tests: {
      'pods.yaml': `${pod}---\napiVersion: v1\nkind: Pod\nmetadata: { name: latest, namespace: shop }\nspec:\n  containers: [{ name: c, image: "nginx:latest" }]\n`,
      'jackstop-test.yaml': `name: no-latest
resources: [pods.yaml]
results:
  - { object: Pod/shop/latest, expect: warn, policies: [no-latest] }
  - { object: Pod/shop/worker, expect: allow }
`,
    },
  })
  const result = await runCli(['test', `${dir}/tests`, '--policies', `${dir}/policies`])
  t.equal(result.code, 0)
  t.equal(result.stdout, 'PASS no-latest: Pod/shop/latest: warn (no-latest)\nPASS no-latest: Pod/shop/worker: allow\n2 passed, 0 failed\n')
})

t.test('broken test files and missing resources are errors; exit 2', async (t) => {
  const dir = t.testdir({
    a: { 'jackstop-test.yaml': 'name: [unclosed' },
    b: { 'jackstop-test.yaml': 'name: b\nresources: [gone.yaml]\nresults: [{ object: Pod/x/y, expect: maybe }]\n' },
    c: { 'jackstop-test.yaml': 'name: c\nresources: [gone.yaml]\nresults: [{ object: Pod/x/y, expect: allow }]\n' },
  })
  const result = await runCli(['test', dir])
  t.equal(result.code, 2)
  t.match(result.stdout, /ERROR .*a\/jackstop-test\.yaml: not valid YAML: /)
  t.match(result.stdout, /ERROR .*b\/jackstop-test\.yaml: \/results\/0\/expect must be one of allow, warn, deny/)
  t.match(result.stdout, /ERROR .*c\/gone\.yaml: cannot read: ENOENT/)
  const empty = await runCli(['test', t.testdir({ nothing: {} })])
  t.equal(empty.code, 2)
  t.match(empty.stdout, /no jackstop-test\.yaml found/)
})

t.test('cluster-scoped objects, empty policy lists and broken resources are handled', async (t) => {
  const dir = t.testdir({
    'resources.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: mining}\n---\nkind: ConfigMap\n---\nbroken: [\n',
    'jackstop-test.yaml':
      'name: odd\nresources: [resources.yaml]\nresults:\n  - { object: Namespace/mining, expect: allow, policies: [] }\n  - { object: Namespace/mining, expect: deny, policies: [] }\n  - { object: Namespace/mining, expect: allow, policies: [miner-images] }\n',
    more: { 'jackstop-test.yaml': 'name: more\nresources: [../miner.yaml]\nresults:\n  - { object: Pod/x/m, expect: deny, policies: [] }\n' },
    'miner.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: m, namespace: x}\nspec: {containers: [{name: c, image: xmrig/xmrig}]}\n',
  })
  const result = await runCli(['test', dir])
  t.equal(result.code, 2)
  t.match(result.stdout, /^PASS odd: Namespace\/mining: allow$/m)
  t.match(result.stdout, /^FAIL odd: Namespace\/mining: expected deny, got allow$/m)
  t.match(result.stdout, /^FAIL odd: Namespace\/mining: expected allow by miner-images, got no policy$/m)
  t.match(result.stdout, /^FAIL more: Pod\/x\/m: expected deny by no policy, got miner-images$/m)
  t.match(result.stdout, /^ERROR .*resources\.yaml:7: not valid YAML/m)
})

t.test('results are coloured on a terminal that wants colour', async (t) => {
  const dir = t.testdir({ 'pod.yaml': pod, 'jackstop-test.yaml': 'name: c\nresources: [pod.yaml]\nresults: [{ object: Pod/shop/worker, expect: deny }]\n' })
  const result = await runCli(['test', dir], { env: { FORCE_COLOR: '1' } })
  t.equal(result.code, 0)
  t.match(result.stdout, '\u001b[32mPASS\u001b[39m c: Pod/shop/worker: deny')
})
