// `jackstop test DIR`: runs the policy tests found under DIR against a policies directory.
import { styleText } from 'node:util'
import { Command, Option } from 'commander'
import { loadPolicySet } from '../policy/load.ts'
import { runPolicyTests } from '../policytest/run.ts'
import { DEFAULT_POLICIES_DIR } from './paths.ts'

/** Exit codes: 0 every case passed, 1 a case failed, 2 a test file or resource could not be read. */
export async function testPolicies(dir: string, options: { policies: string }, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const run = await runPolicyTests(dir, policySet)
  const paint = (style: Parameters<typeof styleText>[0], text: string) => styleText(style, text, { stream: stdout, validateStream: true })
  for (const outcome of run.outcomes) {
    stdout.write(`${outcome.passed ? paint('green', 'PASS') : paint('red', 'FAIL')} ${outcome.test}: ${outcome.object}: ${outcome.detail}\n`)
  }
  for (const problem of run.problems) stdout.write(`${paint('red', 'ERROR')} ${problem}\n`)
  const failed = run.outcomes.filter((outcome) => !outcome.passed).length
  stdout.write(`${run.outcomes.length - failed} passed, ${failed} failed${run.problems.length > 0 ? `, ${run.problems.length} errors` : ''}\n`)
  if (run.problems.length > 0) return 2
  return failed > 0 ? 1 : 0
}

export function testCommand(): Command {
  return new Command('test')
    .description('run policy tests: folders with resources and a jackstop-test.yaml of expected results')
    .argument('<dir>', 'folder searched for jackstop-test.yaml files')
    .addOption(new Option('--policies <dir>', 'policies directory under test').env('JACKSTOP_POLICIES').default(DEFAULT_POLICIES_DIR))
    .action(async (dir: string, options: { policies: string }) => {
      process.exitCode = await testPolicies(dir, options)
    })
}
