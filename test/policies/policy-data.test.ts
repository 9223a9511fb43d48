// Data files name things the project defines once in src/ (signal kinds, quantities); a policy
// checks its data against that one definition at load and names the field that is wrong.
import { cp, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { checkScoring, type Scoring, SIGNAL_KINDS } from '../../src/detect/signals.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

/** A policies directory holding one shipped policy and its data, with the data file edited. */
async function onePolicy(t: Test, policy: string, dataFile: string, edit: (yaml: string) => string): Promise<string> {
  const dir = t.testdir({ data: {} })
  // A link, not a copy: the import then resolves to the shipped file, so its coverage counts.
  await symlink(join(DEFAULT_POLICIES, policy), join(dir, policy))
  await cp(join(DEFAULT_POLICIES, 'data', 'intel'), join(dir, 'data', 'intel'), { recursive: true })
  await writeFile(join(dir, 'data', dataFile), edit(await readFile(join(DEFAULT_POLICIES, 'data', dataFile), 'utf8')))
  return dir
}

const shippedSignals = async () => parse(await readFile(join(DEFAULT_POLICIES, 'data', 'miner-signals.yaml'), 'utf8')) as Scoring & { configMapWeights: object }

t.test('the shipped miner-signals data gives every signal kind a weight', async (t) => {
  const data = await shippedSignals()
  t.same(Object.keys(data.weights).sort(), [...SIGNAL_KINDS].sort())
  t.doesNotThrow(() => checkScoring(data))
  const { configMapWeights: _, ...withoutConfigMapWeights } = data
  t.doesNotThrow(() => checkScoring(withoutConfigMapWeights), 'configMapWeights is optional')
})

t.test('miner-signals data without a weight for a signal kind is refused at load, naming the kind', async (t) => {
  const dir = await onePolicy(t, 'miner-signals.ts', 'miner-signals.yaml', (yaml) => yaml.replace(/^ {2}raw-ip-download: .*\n/m, ''))
  await t.rejects(loadPolicySet(dir), { code: 'JACKSTOP_ERR_POLICY_LOAD', message: /miner-signals\.ts: .*\/weights has no weight for raw-ip-download/ })
})

t.test('a misspelt signal kind is refused wherever the data names kinds', async (t) => {
  const data = await shippedSignals()
  for (const [field, edit] of [
    ['weights', { weights: { ...data.weights, 'stratum-urls': 3 } }],
    ['needsCompany', { needsCompany: ['wallets'] }],
    ['repeatable', { repeatable: { 'miner-flags': 2 } }],
    ['configMapWeights', { configMapWeights: { wallets: 8 } }],
  ] as const) {
    t.throws(() => checkScoring({ ...data, ...edit }), { message: new RegExp(`^/${field}: "[a-z-]+" is not a signal kind \\(miner-binary, `) }, field)
  }
})

t.test('resource defaults that are not quantities of zero or more are refused at load, naming the field', async (t) => {
  for (const [from, to, field] of [
    ['    memory: 512Mi', '    memory: lots', '/default/limits/memory: "lots"'],
    ['      cpu: "4"', '      cpu: "-4"', '/namespaces/batch/limits/cpu: "-4"'],
    ['    cpu: 100m', '    cpu: 100mi', '/default/requests/cpu: "100mi"'],
  ] as const) {
    const dir = await onePolicy(t, 'resource-limits.ts', 'resource-defaults.yaml', (yaml) => yaml.replace(from, to))
    await t.rejects(loadPolicySet(dir), { code: 'JACKSTOP_ERR_POLICY_LOAD', message: `${field} is not a Kubernetes quantity of zero or more` }, field)
  }
  const shipped = await onePolicy(t, 'resource-limits.ts', 'resource-defaults.yaml', (yaml) => yaml)
  t.same(
    (await loadPolicySet(shipped)).policies.map((policy) => policy.id),
    ['resource-limits'],
  )
  const noOverrides = await onePolicy(t, 'resource-limits.ts', 'resource-defaults.yaml', (yaml) => yaml.replace(/^namespaces:[\s\S]*$/m, ''))
  t.same(
    (await loadPolicySet(noOverrides)).policies.map((policy) => policy.id),
    ['resource-limits'],
    'namespaces is optional',
  )
})
