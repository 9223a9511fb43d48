#!/usr/bin/env node
// The installed CLI's entry, plain JavaScript that any Node parses: an older Node gets a clear
// message here instead of a cryptic error from deep inside the compiled CLI or a policy file.
const REQUIRED_MAJOR = 24
const running = process.versions.node

if (Number(running.split('.')[0]) < REQUIRED_MAJOR) {
  process.stderr.write(
    `jackstop: needs Node.js ${REQUIRED_MAJOR} or newer, and this is Node.js ${running} (${process.execPath}).\n` +
      `Install Node.js ${REQUIRED_MAJOR} LTS (https://nodejs.org, nvm install ${REQUIRED_MAJOR}) or run the container image.\n`,
  )
  process.exitCode = 2
} else {
  await import('../dist/src/cli/main.js')
}
