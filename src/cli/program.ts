// The commander shell around every command. Each command's definition imports only commander; its
// work (and @kubernetes/client-node, Fastify, ajv) is imported when that command runs, so
// `jackstop --version` and `jackstop check` do not pay for what `scan` and `serve` need.
import { Command, CommanderError } from 'commander'
import type { CommandContext } from './command.ts'
import { certsCommand } from './commands/certs.ts'
import { checkCommand } from './commands/check.ts'
import { intelCommand } from './commands/intel.ts'
import { newPolicyCommand } from './commands/new-policy.ts'
import { scanCommand } from './commands/scan.ts'
import { serveCommand } from './commands/serve.ts'
import { testCommand } from './commands/test.ts'
import type { CliIo } from './io.ts'
import { applyEnv, HelpWithEnv } from './options.ts'
import { undoCommand } from './undo.ts'
import { VERSION } from './version.ts'
import { watchCommand } from './watch.ts'

export function buildProgram(context: CommandContext): Command {
  const { io } = context
  const output = { writeOut: (text: string) => void io.stdout.write(text), writeErr: (text: string) => void io.stderr.write(text) }
  const program = new Command('jackstop')
    .description('Kubernetes admission webhook and scanner that stops cryptojacking')
    .version(VERSION)
    .configureOutput(output)
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_program, command) => applyEnv(command, io.env))
  program.createHelp = () => new HelpWithEnv()
  // Subcommands (intel import) are configured too: commander copies settings only at creation.
  const configure = (command: Command): Command => {
    command.createHelp = program.createHelp
    for (const sub of command.commands) configure(sub)
    return command.configureOutput(output).showHelpAfterError().exitOverride()
  }
  for (const define of [serveCommand, checkCommand, scanCommand, testCommand, newPolicyCommand, certsCommand, intelCommand, undoCommand])
    program.addCommand(configure(define(context)))
  // Commands not yet moved to commands/ set process.exitCode and write to the process's streams.
  for (const define of [watchCommand]) {
    const command = define()
    command.hook('postAction', () => {
      if (typeof process.exitCode === 'number') context.exitCode = process.exitCode
      process.exitCode = undefined
    })
    program.addCommand(configure(command))
  }
  return program
}

/** Runs `jackstop ARGS...` and resolves to its exit code; a long-running command resolves once it serves. */
export async function runJackstop(args: string[], io: CliIo): Promise<number> {
  const context: CommandContext = { io, exitCode: 0 }
  try {
    await buildProgram(context).parseAsync(args, { from: 'user' })
    return context.exitCode
  } catch (error) {
    // Commander has printed its message already; --help and --version end with exit code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    const { code, message } = error as { code?: string; message: string }
    io.stderr.write(`jackstop: ${code === undefined ? '' : `${code}: `}${message}\n`)
    return 2
  }
}
