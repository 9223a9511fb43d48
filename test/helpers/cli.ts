// How jackstop's commands are tested (follow this for a new command):
// - `runCli(args, { input, env, tty })` runs `jackstop ARGS...` in this process through the same
//   commander shell as the binary (src/cli/program.ts), with its own stdin, stdout, stderr and
//   environment (nothing from process.env leaks in). Use it for every behaviour: it is the binary
//   minus the process start, and its coverage counts.
// - `startCli(args, ready)` does the same for a long-running command (serve, watch): it resolves once
//   `ready` appears on stderr and `shutdown()` runs what SIGTERM would.
// - `spawnCli` / `spawnUntilReady` start the real binary. Keep one or two per command, to prove that
//   it starts, reads the real environment and exits with the code a shell sees; each costs a process.
//   Their coverage is not measured unless `measured: true`: tap's hooks in a child (process
//   tracking, V8 coverage of the 1,800 modules it loads) more than double its CPU time. The
//   measured ones (check, serve) cover what only a real process runs: main.ts and processIo.
// A new command: its flags in src/cli/commands/NAME.ts, its work in src/cli/NAME.ts taking a CliIo
// (imported lazily by the flags file), one line in program.ts, tests through runCli.
import { type ChildProcess, spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { CliIo, ShutdownEvent } from '../../src/cli/io.ts'
import { runJackstop } from '../../src/cli/program.ts'

export const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** Standard input, for `-` paths. */
  input?: string
  env?: Record<string, string>
  /** Pretend stdout and stderr are a terminal (progress lines, colours). */
  tty?: boolean
}

interface TestIo {
  io: CliIo
  output(): { stdout: string; stderr: string }
  onStderr(listener: () => void): void
  shutdown(event?: ShutdownEvent): Promise<void>
}

function testIo(options: CliOptions): TestIo {
  const text = { stdout: '', stderr: '' }
  const listeners: (() => void)[] = []
  const sink = (key: 'stdout' | 'stderr') => ({
    isTTY: options.tty === true,
    write: (chunk: string) => {
      text[key] += chunk
      if (key === 'stderr') for (const listener of listeners) listener()
      return true
    },
  })
  let handler: ((event: ShutdownEvent) => Promise<void>) | undefined
  return {
    io: {
      stdin: Readable.from(options.input === undefined ? [] : [options.input]),
      stdout: sink('stdout'),
      stderr: sink('stderr'),
      env: { ...options.env },
      onShutdown: (_options, registered) => {
        handler = registered
      },
    },
    output: () => ({ ...text }),
    onStderr: (listener) => listeners.push(listener),
    shutdown: async (event = { signal: 'SIGTERM' }) => {
      if (handler === undefined) throw new Error('the command registered no shutdown handler')
      await handler(event)
    },
  }
}

/** Runs a command in-process to its exit code. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const test = testIo(options)
  const code = await runJackstop(args, test.io)
  return { code, ...test.output() }
}

export interface StartedCli {
  match: RegExpMatchArray
  output(): { stdout: string; stderr: string }
  /** What SIGTERM does to the real process: the command's shutdown handler, awaited. */
  shutdown(event?: ShutdownEvent): Promise<void>
}

/** Starts a long-running command in-process; resolves once `ready` appears on its stderr. */
export async function startCli(args: string[], ready: RegExp, options: CliOptions = {}): Promise<StartedCli> {
  const test = testIo(options)
  const seen = new Promise<RegExpMatchArray>((resolve) =>
    test.onStderr(() => {
      const match = test.output().stderr.match(ready)
      if (match !== null) resolve(match)
    }),
  )
  // serve resolves once it listens; a command that runs until shutdown resolves only then.
  const ended = runJackstop(args, test.io).then((code) => {
    const match = test.output().stderr.match(ready)
    if (match === null) throw new Error(`exited with ${code} before ready:\n${test.output().stderr}`)
    return match
  })
  return { match: await Promise.race([seen, ended]), output: test.output, shutdown: test.shutdown }
}

/** The test's environment for a child, without tap's hooks unless its coverage is to be measured. */
function childEnv(measured: boolean | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env }
  if (measured !== true) for (const name of ['NODE_OPTIONS', 'NODE_V8_COVERAGE']) delete env[name]
  return env
}

/** Runs the real binary as a child process, the way a user or CI does. */
export function spawnCli(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string; measured?: boolean } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...childEnv(options.measured), NO_COLOR: '1', ...options.env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

/** Starts the real binary for a long-running command and resolves once `ready` appears on stderr. */
export function spawnUntilReady(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
  options: { measured?: boolean } = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => { stdout: string; stderr: string } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...childEnv(options.measured), ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const match = stderr.match(ready)
      if (match !== null) resolve({ child, match, output: () => ({ stdout, stderr }) })
    })
    child.on('close', (code) => reject(new Error(`exited with ${code} before ready:\n${stderr}`)))
  })
}
