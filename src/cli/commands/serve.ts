// `jackstop serve` flags; the webhook (Fastify, pino, certificates) is in ../serve.ts, imported when the command runs.
import { Command, Option } from 'commander'
import { DEFAULT_BODY_LIMIT } from '../../server/limits.ts'
import { FIRST_REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_CONNECTIONS } from '../../server/transport.ts'
import type { CommandContext } from '../command.ts'
import { fromEnv, policiesOption, wholeNumber } from '../options.ts'
import { DEFAULT_POLICIES_DIR } from '../paths.ts'
import { reviewBudgetOption } from '../review-budget-option.ts'

export function serveCommand(context: CommandContext): Command {
  return new Command('serve')
    .description('run the admission webhook (POST /validate, /mutate; GET /healthz, /readyz)')
    .addOption(fromEnv(new Option('--port <port>', 'TLS port').default(8443).argParser(wholeNumber('--port', 0, 65535)), 'JACKSTOP_PORT'))
    .addOption(fromEnv(new Option('--host <host>', 'address to listen on').default('127.0.0.1'), 'JACKSTOP_HOST'))
    .addOption(fromEnv(new Option('--cert <file>', 'serving certificate (PEM); default: generated into --cert-dir'), 'JACKSTOP_CERT'))
    .addOption(fromEnv(new Option('--key <file>', 'serving key (PEM)'), 'JACKSTOP_KEY'))
    .addOption(fromEnv(new Option('--client-ca <file>', 'require API server client certificates signed by this CA (mTLS)'), 'JACKSTOP_CLIENT_CA'))
    .addOption(fromEnv(new Option('--cert-dir <dir>', 'where generated certificates go').default('certs'), 'JACKSTOP_CERT_DIR'))
    .addOption(policiesOption(DEFAULT_POLICIES_DIR))
    .addOption(
      fromEnv(
        new Option('--log-level <level>', 'pino log level').default('info').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
        'JACKSTOP_LOG_LEVEL',
      ),
    )
    .addOption(
      fromEnv(
        new Option('--body-limit <bytes>', 'largest request body accepted').default(DEFAULT_BODY_LIMIT).argParser(wholeNumber('--body-limit', 1)),
        'JACKSTOP_BODY_LIMIT',
      ),
    )
    .addOption(reviewBudgetOption())
    .addOption(fromEnv(new Option('--audit-only', 'dry run: refuse and patch nothing; log and warn instead').default(false), 'JACKSTOP_AUDIT_ONLY'))
    .addOption(
      fromEnv(
        new Option('--max-connections <n>', 'open connections per replica; more are closed at once (jackstop_dropped_connections_total)')
          .default(MAX_CONNECTIONS)
          .argParser(wholeNumber('--max-connections', 1)),
        'JACKSTOP_MAX_CONNECTIONS',
      ),
    )
    .addOption(
      fromEnv(
        new Option('--keep-alive-timeout <ms>', "idle keep-alive connections close after this; keep it above the API server's 90 s")
          .default(KEEP_ALIVE_TIMEOUT_MS)
          .argParser(wholeNumber('--keep-alive-timeout', 0)),
        'JACKSTOP_KEEP_ALIVE_TIMEOUT',
      ),
    )
    .addOption(
      fromEnv(
        new Option('--first-request-timeout <ms>', 'a new connection that sends no request within this (after TLS) is closed')
          .default(FIRST_REQUEST_TIMEOUT_MS)
          .argParser(wholeNumber('--first-request-timeout', 1)),
        'JACKSTOP_FIRST_REQUEST_TIMEOUT',
      ),
    )
    .addOption(
      fromEnv(
        new Option('--drain-delay <ms>', 'on SIGTERM, keep serving this long with readiness off').default(0).argParser(wholeNumber('--drain-delay', 0)),
        'JACKSTOP_DRAIN_DELAY',
      ),
    )
    .action(async (options) => {
      const { serve } = await import('../serve.ts')
      context.exitCode = await serve(options, context.io)
    })
}
