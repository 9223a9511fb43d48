// The miner-signals data file names signal kinds; the one list of kinds is SIGNAL_KINDS in
// src/detect/signals.ts, so a kind added there must get a weight here, and a typo is refused.
import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { checkScoring, type Scoring, SIGNAL_KINDS } from '../../src/detect/signals.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

async function policiesWithData(t: Test, edit: (yaml: string) => string): Promise<string> {
  const dir = t.testdir()
  await cp(DEFAULT_POLICIES, dir, { recursive: true })
  const file = join(dir, 'data', 'miner-signals.yaml')
  await writeFile(file, edit(await readFile(file, 'utf8')))
  return dir
}

const shipped = async () => parse(await readFile(join(DEFAULT_POLICIES, 'data', 'miner-signals.yaml'), 'utf8')) as Scoring & { configMapWeights: object }

t.test('the shipped data gives every signal kind a weight', async (t) => {
  const data = await shipped()
  t.same(Object.keys(data.weights).sort(), [...SIGNAL_KINDS].sort())
  t.doesNotThrow(() => checkScoring(data))
})

t.test('a data file without a weight for a signal kind is refused, naming the kind', async (t) => {
  const dir = await policiesWithData(t, (yaml) => yaml.replace(/^ {2}raw-ip-download: .*\n/m, ''))
  await t.rejects(loadPolicySet(dir), { code: 'JACKSTOP_ERR_POLICY_LOAD', message: /miner-signals\.ts: .*\/weights has no weight for raw-ip-download/ })
})

t.test('a misspelt signal kind is refused wherever the data names kinds', async (t) => {
  const data = await shipped()
  for (const [field, edit] of [
    ['weights', { weights: { ...data.weights, 'stratum-urls': 3 } }],
    ['needsCompany', { needsCompany: ['wallets'] }],
    ['repeatable', { repeatable: { 'miner-flags': 2 } }],
    ['configMapWeights', { configMapWeights: { wallets: 8 } }],
  ] as const) {
    t.throws(() => checkScoring({ ...data, ...edit }), { message: new RegExp(`^/${field}: "[a-z-]+" is not a signal kind \\(miner-binary, `) }, field)
  }
})
