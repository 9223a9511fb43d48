// The budget: an object with more text than the scanners may read is refused as unreviewable,
// never admitted with its tail unread, and the same in the webhook, `check` and the engine.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { reviewAdmission } from '../../src/admission/review.ts'
import type { AdmissionRequest } from '../../src/admission/types.ts'
import { BUDGET_REFUSAL, REVIEW_BUDGET_CHARACTERS, ReviewBudget } from '../../src/detect/review-budget.ts'
import { compileSignalScanner, type Signal } from '../../src/detect/signals.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { runCli } from '../helpers/cli.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { defaultPolicies, startServer } from '../helpers/server.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const policySet = await defaultPolicies()
const scan = compileSignalScanner(await defaultSignalData())

function configMap(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'notes', namespace: 'team' }, data } as KubeObject
}

const refusal = (path: string, characters: number, policy: string) =>
  `${path}: ${BUDGET_REFUSAL} (more than ${characters} characters to scan; see --review-budget) (${policy})`

t.test('a ConfigMap with more text than the budget is refused, naming the budget', async (t) => {
  const { findings } = evaluate({ object: configMap({ a: 'x'.repeat(600), b: 'y'.repeat(600) }), reviewBudget: 1000 }, policySet)
  t.same(findings, [{ policy: 'miner-configmaps', action: 'deny', severity: 'critical', path: '', message: refusal('object', 1000, 'miner-configmaps') }])
})

t.test('a miner hidden past the budget is not admitted: the padding makes the object refused', async (t) => {
  const pod = replicaSetPod([{ name: 'app', image: 'busybox', args: ['x'.repeat(2000), '-o pool.supportxmr.com:3333'] }])
  const { findings } = evaluate({ object: pod, reviewBudget: 1000 }, policySet)
  t.same(
    findings.map(({ policy, action, message }) => ({ policy, action, message })),
    [{ policy: 'miner-signals', action: 'deny', message: refusal('spec.containers[0]', 1000, 'miner-signals') }],
  )
})

t.test('text within the budget is reviewed as usual', async (t) => {
  const { findings } = evaluate({ object: configMap({ a: 'x'.repeat(900) }), reviewBudget: 1000 }, policySet)
  t.same(findings, [])
})

t.test('the budget is shared by every container of a review, not granted per container', async (t) => {
  const containers = ['a', 'b', 'c'].map((name) => ({ name, image: 'busybox', args: ['x'.repeat(400)] }))
  const { findings } = evaluate({ object: replicaSetPod(containers), reviewBudget: 1000 }, policySet)
  t.same(
    findings.map(({ path }) => path),
    ['spec.containers[2]'],
  )
})

t.test('the default budget admits a ConfigMap as large as etcd stores and refuses one past the budget', async (t) => {
  t.same(evaluate({ object: configMap({ big: 'x'.repeat(1536 * 1024) }) }, policySet).findings, [])
  const { findings } = evaluate({ object: configMap({ big: 'x'.repeat(REVIEW_BUDGET_CHARACTERS) }) }, policySet)
  t.same(
    findings.map(({ message }) => message),
    [refusal('object', REVIEW_BUDGET_CHARACTERS, 'miner-configmaps')],
  )
})

t.test('a spent budget refuses every further charge', async (t) => {
  const budget = new ReviewBudget(10)
  budget.charge(6)
  t.equal(budget.spent, 6)
  t.throws(() => budget.charge(5), { code: 'JACKSTOP_ERR_UNREVIEWABLE' })
  t.throws(() => budget.charge(1), { code: 'JACKSTOP_ERR_UNREVIEWABLE' })
})

const request = (object: KubeObject) => admissionReview({ object }).request as AdmissionRequest

t.test('in --audit-only an over-budget object is admitted with the refusal as a warning', async (t) => {
  const { response } = reviewAdmission(request(configMap({ a: 'x'.repeat(2000) })), policySet, { phase: 'validate', auditOnly: true, reviewBudget: 1000 })
  t.same(
    { allowed: response.allowed, warnings: response.warnings },
    { allowed: true, warnings: [`[audit-only] would deny: ${refusal('object', 1000, 'miner-configmaps')}`] },
  )
})

t.test('the webhook refuses an over-budget object with the message', async (t) => {
  const server = await startServer({ policySet, reviewBudget: 1000 })
  t.teardown(() => server.close())
  const { status, body } = await server.post('/validate', admissionReview({ object: configMap({ a: 'x'.repeat(2000) }) }))
  t.equal(status, 200)
  t.match(body.response, { allowed: false, status: { code: 403, message: new RegExp(BUDGET_REFUSAL.replace(/[()]/g, '\\$&')) } })
})

t.test('jackstop check --review-budget refuses an over-budget manifest and exits 1', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'jackstop-budget-'))
  const file = join(dir, 'notes.json')
  await writeFile(file, JSON.stringify(configMap({ a: 'x'.repeat(2000) })))
  const refused = await runCli(['check', '--review-budget', '1000', '-o', 'json', file])
  t.equal(refused.code, 1)
  t.match(refused.stdout, BUDGET_REFUSAL)
  const invalid = await runCli(['check', '--review-budget', 'lots', file])
  t.equal(invalid.code, 2)
  t.match(invalid.stderr, 'JACKSTOP_ERR_USAGE: --review-budget must be a whole number of at least 1, not "lots"')
})

/** Distinct 34-character base58 tokens starting with 1, separated by blanks: each one costs a checksum. */
function addressShapedTokens(count: number, salt = 0): string {
  const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  const tokens: string[] = []
  for (let index = 0; index < count; index++) {
    let token = '1'
    for (let char = 0, seed = index * 7919 + salt; char < 33; char++, seed = (seed * 31 + char) % 1_000_003) token += base58[seed % 58]
    tokens.push(token)
  }
  return tokens.join(' ')
}

t.test('a ConfigMap of distinct address-shaped tokens is refused for the cost of their checksums, not checked one by one', async (t) => {
  // 1 MiB of tokens is some 30,000 checksums (~5 µs each): the checks are charged, so the budget refuses it early.
  const { findings } = evaluate({ object: configMap({ 'peers.txt': addressShapedTokens(30_000, 1) }) }, policySet)
  t.equal(findings[0]?.action, 'deny')
  t.match(findings[0]?.message, BUDGET_REFUSAL)
})

t.test('a few hundred address-shaped tokens are still checked within the budget, and a real address among them is a wallet', async (t) => {
  const found: Signal[] = []
  scan([{ field: 'data["peers.txt"]', text: `${addressShapedTokens(500, 2)} 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa` }], found, new ReviewBudget())
  t.same(
    found.map(({ kind, quote }) => ({ kind, quote })),
    [{ kind: 'wallet', quote: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' }],
  )
})

t.test('one address-shaped token repeated through a MiB is charged once: the budget counts distinct checksums', async (t) => {
  const token = addressShapedTokens(1, 3)
  const found: Signal[] = []
  const budget = new ReviewBudget()
  scan([{ field: 'data["peers.txt"]', text: `${token} `.repeat(30_000) }], found, budget)
  t.same(found, [], 'its checksum fails once, for every repetition')
  const single = new ReviewBudget()
  scan([{ field: 'data["peers.txt"]', text: `${token} ` }], [], single)
  t.equal(budget.spent - single.spent, 35 * 29_999, 'the repetitions cost only their characters')
})
