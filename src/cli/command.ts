// The contract between the commander shell and a command: flags are parsed in the shell, the work
// runs with the streams and environment it is handed and reports its exit code here.
import type { CliIo } from './io.ts'

export interface CommandContext {
  io: CliIo
  /** 0 clean, 1 findings or failed cases, 2 usage or load error (Spectral's convention). */
  exitCode: number
}
