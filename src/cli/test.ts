// `jackstop test DIR`: runs the policy tests found under DIR against a policies directory.
import { styleText } from 'node:util'
import { loadPolicySet } from '../policy/load.ts'
import { runPolicyTests } from '../policytest/run.ts'
import { type CliIo, wantsColor } from './io.ts'

/** Exit codes: 0 every case passed, 1 a case failed, 2 a test file or resource could not be read. */
export async function testPolicies(dir: string, options: { policies: string }, io: Pick<CliIo, 'stdout' | 'env'>): Promise<number> {
  const policySet = await loadPolicySet(options.policies)
  const run = await runPolicyTests(dir, policySet)
  const color = wantsColor(io.stdout, io.env)
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (color ? styleText(style, text, { validateStream: false }) : text)
  for (const outcome of run.outcomes) {
    io.stdout.write(`${outcome.passed ? paint('green', 'PASS') : paint('red', 'FAIL')} ${outcome.test}: ${outcome.object}: ${outcome.detail}\n`)
  }
  for (const problem of run.problems) io.stdout.write(`${paint('red', 'ERROR')} ${problem}\n`)
  const failed = run.outcomes.filter((outcome) => !outcome.passed).length
  io.stdout.write(`${run.outcomes.length - failed} passed, ${failed} failed${run.problems.length > 0 ? `, ${run.problems.length} errors` : ''}\n`)
  if (run.problems.length > 0) return 2
  return failed > 0 ? 1 : 0
}
