import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import t from 'tap'
import { newPolicy } from '../../src/cli/new-policy.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { scaffoldFiles } from '../../src/policy/scaffold.ts'
import { runPolicyTests } from '../../src/policytest/run.ts'
import { runCli, spawnCli } from '../helpers/cli.ts'

const quiet = { stdout: { write: () => true } }

async function scaffold(name: string, options: { yaml?: boolean; ts?: boolean; policies: string }): Promise<string> {
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk: Buffer) => (text += chunk.toString()))
  t.equal(await newPolicy(name, options, { stdout: out }), 0)
  return text
}

for (const kind of ['yaml', 'ts'] as const) {
  t.test(`a --${kind} scaffold loads and passes its own jackstop test`, async (t) => {
    const policies = t.testdir({})
    const printed = await scaffold('pinned-images', { [kind]: true, policies })
    const shown = policies
    t.equal(
      printed,
      [
        `created ${shown}/pinned-images.${kind}`,
        `created ${shown}/tests/pinned-images/jackstop-test.yaml`,
        `created ${shown}/tests/pinned-images/resources.yaml`,
        'next: edit them, then run',
        `  jackstop test ${shown}/tests/pinned-images --policies ${shown}`,
        '',
      ].join('\n'),
    )
    const set = await loadPolicySet(policies)
    t.same(
      set.policies.map(({ id, action }) => ({ id, action })),
      [{ id: 'pinned-images', action: 'warn' }],
    )
    const run = await runPolicyTests(join(policies, 'tests', 'pinned-images'), set)
    t.same(run.problems, [])
    t.same(
      run.outcomes.map(({ object, passed, detail }) => ({ object, passed, detail })),
      [
        { object: 'Pod/default/pinned', passed: true, detail: 'allow' },
        { object: 'Pod/default/unpinned', passed: true, detail: 'warn (pinned-images)' },
      ],
    )
  })
}

// tsc (run by `npm test` before the suite) type-checks the fixture against jackstop/policy; this
// test pins the fixture to what the scaffold writes, so the scaffold itself is what is checked.
t.test('the --ts scaffold is the fixture that the project type-check covers', async (t) => {
  const fixture = await readFile(new URL('fixtures/scaffolded-policy.ts', import.meta.url), 'utf8')
  t.equal(scaffoldFiles('scaffolded-policy', 'ts')[0]?.content, fixture)
})

t.test('an existing policy or test case is never overwritten', async (t) => {
  const policies = t.testdir({ 'taken.yml': 'kept', tests: { other: { 'jackstop-test.yaml': 'kept' } } })
  await t.rejects(newPolicy('taken', { ts: true, policies }, quiet), { code: 'JACKSTOP_ERR_USAGE', message: /taken\.yml already exists; choose another name/ })
  await t.rejects(newPolicy('other', { yaml: true, policies }, quiet), { code: 'JACKSTOP_ERR_USAGE', message: /tests\/other already exists/ })
  t.same((await readdir(policies)).sort(), ['taken.yml', 'tests'])
  t.equal(await readFile(join(policies, 'taken.yml'), 'utf8'), 'kept')
  t.same(await readdir(join(policies, 'tests')), ['other'])
})

t.test('a name that is not a policy id is refused before anything is written', async (t) => {
  const policies = t.testdir({})
  for (const name of ['../escape', 'a/b', 'Privileged', 'with space', '', 'x'.repeat(64), '-dash', 'dot.ts']) {
    await t.rejects(
      newPolicy(name, { yaml: true, policies }, quiet),
      { code: 'JACKSTOP_ERR_USAGE', message: /must be lower-case letters, digits and dashes/ },
      name,
    )
  }
  t.same(await readdir(policies), [])
  t.same(await readdir(join(policies, '..')).then((names) => names.includes('escape.yaml')), false)
})

t.test('exactly one of --yaml and --ts is required', async (t) => {
  const policies = t.testdir({})
  for (const kinds of [{}, { yaml: true, ts: true }]) {
    await t.rejects(newPolicy('both', { ...kinds, policies }, quiet), {
      code: 'JACKSTOP_ERR_USAGE',
      message: 'choose one of --yaml (a schema policy) or --ts (a TypeScript policy)',
    })
  }
  t.same(await readdir(policies), [])
})

t.test('the jackstop binary writes a scaffold that passes its test', async (t) => {
  const policies = t.testdir({})
  const created = await spawnCli(['new-policy', 'from-the-binary', '--yaml', '--policies', policies])
  t.equal(created.code, 0, created.stderr)
  t.match(created.stdout, `created ${policies}/from-the-binary.yaml\n`)
  const run = await runPolicyTests(join(policies, 'tests'), await loadPolicySet(policies))
  t.same([run.problems, run.outcomes.map((outcome) => outcome.passed)], [[], [true, true]])
})

t.test('jackstop new-policy writes into JACKSTOP_POLICIES and exits 2 with the code of a refusal', async (t) => {
  const policies = t.testdir({})
  const created = await runCli(['new-policy', 'from-env', '--ts'], { env: { JACKSTOP_POLICIES: policies } })
  t.same([created.code, created.stderr], [0, ''])
  t.same((await readdir(policies)).sort(), ['from-env.ts', 'tests'])
  const again = await runCli(['new-policy', 'from-env', '--yaml', '--policies', policies])
  t.equal(again.code, 2)
  t.match(again.stderr, /^jackstop: JACKSTOP_ERR_USAGE: \S*\/from-env\.ts, \S*\/tests\/from-env already exist; choose another name\n$/)
})
