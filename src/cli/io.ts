// What a command may touch of the outside world, passed in so that tests run commands in-process
// with their own streams and environment (the real binary passes the process's own).
import { WriteStream } from 'node:tty'
import closeWithGrace from 'close-with-grace'

export interface Output {
  write(text: string): unknown
  isTTY?: boolean | undefined
}

/** Handed to a long-running command's shutdown handler, as close-with-grace does for signals. */
export interface ShutdownEvent {
  signal?: string | undefined
  err?: Error | undefined
}

/**
 * The first lines of a shutdown: the fatal error with its stack when an uncaught exception caused
 * it (close-with-grace passes it in; it is logged nowhere else), then the signal and what happens now.
 */
export function logShutdown(
  logger: { error(fields: object, message: string): void; info(fields: object, message: string): void },
  event: ShutdownEvent,
  doing: string,
): void {
  if (event.err !== undefined) logger.error({ err: event.err }, 'fatal error, shutting down')
  logger.info({ signal: event.signal }, `shutting down: ${doing}`)
}

export interface CliIo {
  stdin: AsyncIterable<Buffer | string>
  stdout: Output
  stderr: Output
  env: Record<string, string | undefined>
  /** Registers what to do on SIGTERM/SIGINT (or a fatal error); the process exits after it. */
  onShutdown(options: { delay: number; logger: { error(...args: unknown[]): void } }, handler: (event: ShutdownEvent) => Promise<void>): void
}

export async function readAll(input: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of input) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

/** Node's own rule (FORCE_COLOR, NO_COLOR, TERM, a terminal) with the environment passed in. */
export function wantsColor(stream: Output, env: CliIo['env']): boolean {
  const depth = WriteStream.prototype.getColorDepth.call(undefined, env)
  return (env.FORCE_COLOR !== undefined || stream.isTTY === true) && depth > 2
}

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onShutdown: (options, handler) => {
      closeWithGrace(options, handler)
    },
  }
}
