#!/usr/bin/env node
// jackstop: one CLI for the three doors of one policy core.
import { Command, CommanderError } from 'commander'
import { certsCommand } from './certs.ts'
import { checkCommand } from './check.ts'
import { intelCommand } from './intel.ts'
import { newPolicyCommand } from './new-policy.ts'
import { scanCommand } from './scan.ts'
import { serveCommand } from './serve.ts'
import { testCommand } from './test.ts'
import { undoCommand } from './undo.ts'
import { VERSION } from './version.ts'
import { watchCommand } from './watch.ts'

// Exit codes: 0 clean, 1 findings, 2 usage or load error (Spectral's convention).
export function buildProgram(): Command {
  const program = new Command('jackstop')
    .description('Kubernetes admission webhook and scanner that stops cryptojacking')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
  for (const command of [
    serveCommand(),
    checkCommand(),
    scanCommand(),
    testCommand(),
    newPolicyCommand(),
    certsCommand(),
    intelCommand(),
    watchCommand(),
    undoCommand(),
  ])
    program.addCommand(command.showHelpAfterError().exitOverride())
  return program
}

try {
  await buildProgram().parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the message already; --help and --version end with exit code 0.
    process.exitCode = error.exitCode === 0 ? 0 : 2
  } else {
    const { code, message } = error as { code?: string; message: string }
    process.stderr.write(`jackstop: ${code === undefined ? '' : `${code}: `}${message}\n`)
    process.exitCode = 2
  }
}
