// `jackstop test` flags; the work is in ../test.ts, imported when the command runs.
import { Command } from 'commander'
import type { CommandContext } from '../command.ts'
import { policiesOption } from '../options.ts'
import { DEFAULT_POLICIES_DIR } from '../paths.ts'

export function testCommand(context: CommandContext): Command {
  return new Command('test')
    .description('run policy tests: folders with resources and a jackstop-test.yaml of expected results')
    .argument('<dir>', 'folder searched for jackstop-test.yaml files')
    .addOption(policiesOption(DEFAULT_POLICIES_DIR))
    .action(async (dir: string, options) => {
      const { testPolicies } = await import('../test.ts')
      context.exitCode = await testPolicies(dir, options, context.io)
    })
}
