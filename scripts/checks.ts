// npm test's static checks (pretest), side by side instead of one after another: tsc keeps one
// core busy for ~15 s, and biome and the ReDoS lint fit on the other. Each check's output is
// printed whole when it ends; the exit code is 1 if any check failed.
import { spawn } from 'node:child_process'

const CHECKS = ['typecheck', 'lint', 'lint:redos']

interface Outcome {
  check: string
  code: number | null
  output: string
}

function runScript(check: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', check], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('error', (error) => resolve({ check, code: 1, output: `${output}${error.message}\n` }))
    child.on('close', (code) => resolve({ check, code, output }))
  })
}

const outcomes = await Promise.all(CHECKS.map(runScript))
for (const { check, code, output } of outcomes) {
  process.stdout.write(`> npm run ${check}: ${code === 0 ? 'ok' : `failed (exit ${code})`}\n${output}`)
}
process.exitCode = outcomes.every((outcome) => outcome.code === 0) ? 0 : 1
