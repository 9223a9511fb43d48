#!/usr/bin/env node
// jackstop: one CLI for the doors of one policy core. Everything but the process lives in program.ts.
import { processIo } from './io.ts'
import { runJackstop } from './program.ts'

process.exitCode = await runJackstop(process.argv.slice(2), processIo())
