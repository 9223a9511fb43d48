#!/usr/bin/env node
// jackstop: one CLI for the three doors of one policy core.
import { Command, CommanderError } from 'commander'
import { serveCommand } from './serve.ts'

export function buildProgram(): Command {
  return new Command('jackstop')
    .description('Kubernetes admission webhook and scanner that stops cryptojacking')
    .version('0.1.0')
    .showHelpAfterError()
    .addCommand(serveCommand())
}

try {
  await buildProgram().parseAsync(process.argv)
} catch (error) {
  if (!(error instanceof CommanderError)) {
    const { code, message } = error as { code?: string; message: string }
    process.stderr.write(`jackstop: ${code === undefined ? '' : `${code}: `}${message}\n`)
  }
  process.exitCode = 2
}
