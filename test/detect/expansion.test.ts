// `$(VAR)` expansion as the kubelet does it, and the attack on it: env entries that each double
// the one before (a 2.2 KB pod held the webhook 5-9 s and took it to 1.3 GB of memory).
import t from 'tap'
import { containerTexts } from '../../src/detect/container-text.ts'
import { EXPANSION_CAP_CHARACTERS, ExpansionAllowance, expandVariables } from '../../src/detect/expansion.ts'
import { expandShellVariables } from '../../src/detect/shell-expansion.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()
const variables = new Map([
  ['HOST', 'pool.example'],
  ['PORT', '3333'],
  ['WITH SPACE', 'spaced'],
])

// kubernetes third_party/forked/golang/expansion/expand_test.go, the cases that matter here.
const kubeletCases: [string, string][] = [
  ['$(HOST):$(PORT)', 'pool.example:3333'],
  ['$$(HOST)', '$(HOST)'],
  ['$$$(HOST)', '$pool.example'],
  ['$(MISSING)', '$(MISSING)'],
  ['$(HOST', '$(HOST'],
  ['$(HOST $$ $(PORT', '$(HOST $ $(PORT'],
  ['$(WITH SPACE)', 'spaced'],
  ['$x and $', '$x and $'],
  ['$()', '$()'],
  ['no variables', 'no variables'],
]

for (const [text, expanded] of kubeletCases) {
  t.test(`${JSON.stringify(text)} expands to ${JSON.stringify(expanded)}`, async (t) => {
    t.equal(expandVariables(text, variables), expanded)
  })
}

/** The attack pod: V0 holds `seed` characters, each later entry is the one before twice. */
function doublingPod(seed: number, doublings: number): KubeObject {
  const env = [{ name: 'V0', value: 'x'.repeat(seed) }]
  for (let index = 1; index <= doublings; index++) env.push({ name: `V${index}`, value: `$(V${index - 1})$(V${index - 1})` })
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'doubling', namespace: 'team' },
    spec: { containers: [{ name: 'app', image: 'busybox', env, args: [`$(V${doublings})`] }] },
  }
}

t.test('a pod whose env doubles 19 times is refused, naming the variable, and memory stays flat', async (t) => {
  const pod = doublingPod(1300, 19)
  t.ok(JSON.stringify(pod).length <= 2300, `the attack is a ${JSON.stringify(pod).length}-byte pod`)
  const before = process.memoryUsage().rss
  const { findings } = evaluate({ object: pod }, policySet)
  const grown = process.memoryUsage().rss - before
  // V1..V8 expand to 1300·(2⁹−2) characters together; V9 passes 1 MiB in its second $(V8).
  // Every policy that reads the container's texts refuses it the same way.
  const refusal = `spec.containers[0]: env[9].value: $(VAR) expansion of $(V8) takes this container's text past the cap of ${EXPANSION_CAP_CHARACTERS} characters; refused`
  t.same(
    findings.map(({ policy, action, severity, path, message }) => ({ policy, action, severity, path, message })),
    ['malicious-packages', 'miner-signals'].map((policy) => ({
      policy,
      action: 'deny',
      severity: 'critical',
      path: 'spec.containers[0]',
      message: `${refusal} (${policy})`,
    })),
  )
  t.ok(grown < 64 * 1024 * 1024, `RSS grew ${(grown / 1024 / 1024).toFixed(1)} MB (it used to reach 1.3 GB)`)
})

t.test('the cap counts every text of the container: args that repeat a large variable are refused too', async (t) => {
  const container = { name: 'app', env: [{ name: 'BIG', value: 'x'.repeat(1000) }], args: ['$(BIG)', '$(BIG)', '$(BIG)'] }
  t.same(
    containerTexts(container, new ExpansionAllowance(3000)).map(({ text }) => text.length),
    [1000, 1000, 1000, 1000],
  )
  t.throws(() => containerTexts(container, new ExpansionAllowance(2999)), {
    code: 'JACKSTOP_ERR_UNREVIEWABLE',
    message: "args[2]: $(VAR) expansion of $(BIG) takes this container's text past the cap of 2999 characters; refused",
  })
})

t.test('a text that needs expansion counts whole against the cap, its literal part included', async (t) => {
  t.throws(() => expandVariables(`${'x'.repeat(20)}$(HOST)`, variables, new ExpansionAllowance(10), 'args[0]'), {
    message: "args[0]: $(VAR) expansion of its text takes this container's text past the cap of 10 characters; refused",
  })
})

t.test('a shell name starts with a letter or underscore; $ before anything else is left as written', async (t) => {
  const lookup = new Map([
    ['_pool', 'a'],
    ['Pool', 'b'],
    ['pool', 'c'],
  ])
  t.equal(expandShellVariables('$_pool $Pool $pool $1 $[ ${', lookup, new ExpansionAllowance()), 'a b c $1 $[ ${')
})
