// What serve and watch log when they stop: an uncaught exception is logged once, with its stack,
// at the door (close-with-grace hands it to the shutdown handler and logs it nowhere else).
import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import { logShutdown } from '../../src/cli/io.ts'

function capture() {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>)
      callback()
    },
  })
  const logger = pino({ base: { service: 'jackstop' }, timestamp: false }, stream)
  return { logger, lines }
}

t.test('an uncaught exception that ends a command is logged once, with its stack, before the shutdown line', async (t) => {
  const { logger, lines } = capture()
  const err = new TypeError('Cannot read properties of undefined')
  logShutdown(logger, { err }, 'releasing the Lease, closing watches')
  t.same(lines, [
    {
      level: 50,
      service: 'jackstop',
      err: { type: 'TypeError', message: 'Cannot read properties of undefined', stack: err.stack },
      msg: 'fatal error, shutting down',
    },
    { level: 30, service: 'jackstop', msg: 'shutting down: releasing the Lease, closing watches' },
  ])
  t.match(err.stack, /^TypeError: Cannot read properties of undefined\n\s+at /, 'the stack says where it was thrown')
})

t.test('a signal alone logs only the shutdown line, with the signal', async (t) => {
  const { logger, lines } = capture()
  logShutdown(logger, { signal: 'SIGTERM' }, 'readiness off, draining reviews')
  t.same(lines, [{ level: 30, service: 'jackstop', signal: 'SIGTERM', msg: 'shutting down: readiness off, draining reviews' }])
})
