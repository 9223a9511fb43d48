// `jackstop new-policy` flags; the work is in ../new-policy.ts, imported when the command runs.
import { Command, Option } from 'commander'
import type { CommandContext } from '../command.ts'
import { fromEnv } from '../options.ts'

export function newPolicyCommand(context: CommandContext): Command {
  return new Command('new-policy')
    .description('write a new policy that works, and its test case, to start from (never overwrites)')
    .argument('<name>', 'policy id: lower-case letters, digits and dashes')
    .option('--yaml', 'a schema policy (YAML)')
    .option('--ts', 'a TypeScript policy typed by jackstop/policy')
    .addOption(fromEnv(new Option('--policies <dir>', 'policies directory to write into').default('policies'), 'JACKSTOP_POLICIES'))
    .action(async (name: string, options) => {
      const { newPolicy } = await import('../new-policy.ts')
      context.exitCode = await newPolicy(name, options, context.io)
    })
}
