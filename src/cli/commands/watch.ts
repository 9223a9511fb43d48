// `jackstop watch` flags; the controller (and @kubernetes/client-node) is in ../watch.ts, imported when the command runs.
import { Command, Option } from 'commander'
import { WatchOptionError } from '../../errors.ts'
import { parseDuration } from '../../watch/duration.ts'
import type { CommandContext } from '../command.ts'
import { fromEnv, policiesOption, wholeNumber, withClusterOptions } from '../options.ts'
import { DEFAULT_POLICIES_DIR } from '../paths.ts'

const REMEDIATION_MODES = ['dry-run', 'enforce'] as const
const REPORT_FORMATS = ['policyreport', 'openreports'] as const

/** Milliseconds from `10m`, `30s`, `1m30s`; anything else is refused before anything connects. */
function duration(flag: string): (text: string) => number {
  return (text) => {
    const ms = parseDuration(text)
    if (ms === undefined) throw new WatchOptionError(`${flag} "${text}" is not a duration such as 10m, 30s or 1m30s`)
    return ms
  }
}

/** Cores may be fractional (0.5), but never zero, negative or not a number. */
function positive(flag: string): (text: string) => number {
  return (text) => {
    const value = Number(text)
    if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new WatchOptionError(`${flag} "${text}" must be a positive number`)
    return value
  }
}

function namespaceList(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

function durationOption(flags: string, description: string, ms: number, shown: string): Option {
  const flag = flags.split(' ')[0] as string
  return new Option(flags, description).default(ms, shown).argParser(duration(flag))
}

export function watchCommand(context: CommandContext): Command {
  return withClusterOptions(
    new Command('watch').description('watch a cluster: keep policy reports current, flag sustained CPU, and remediate per policy (dry run by default)'),
  )
    .addOption(new Option('--namespaces <list>', 'comma-separated namespaces to watch (default: all)').argParser(namespaceList))
    .addOption(new Option('--remediation <mode>', 'dry-run: log, report and record Events only; enforce: act').choices(REMEDIATION_MODES).default('dry-run'))
    .addOption(durationOption('--cpu-window <duration>', 'how long CPU must stay at the line for a sustained-cpu finding', 600_000, '10m'))
    .addOption(durationOption('--cpu-sample <duration>', 'how often PodMetrics are read', 30_000, '30s'))
    .addOption(
      new Option('--cpu-cores <cores>', 'the line for containers without a CPU limit (default: they are not judged)').argParser(positive('--cpu-cores')),
    )
    .addOption(new Option('--report-format <format>', 'report kind written per namespace').choices(REPORT_FORMATS).default('policyreport'))
    .addOption(policiesOption(DEFAULT_POLICIES_DIR))
    .addOption(fromEnv(new Option('--host <host>', 'address of the probes and metrics port').default('0.0.0.0'), 'JACKSTOP_WATCH_HOST'))
    .addOption(
      fromEnv(
        new Option('--port <port>', 'probes (/healthz, /readyz) and /metrics port; 0 picks a free one')
          .default(8080)
          .argParser(wholeNumber('--port', 0, 65535)),
        'JACKSTOP_WATCH_PORT',
      ),
    )
    .addOption(
      fromEnv(new Option('--own-namespace <namespace>', 'jackstop’s namespace: never remediated; holds the Lease').default('jackstop-system'), 'POD_NAMESPACE'),
    )
    .addOption(fromEnv(new Option('--identity <name>', 'this replica’s name in the Lease (default: host name and pid)'), 'POD_NAME'))
    .addOption(new Option('--lease-name <name>', 'the Lease replicas elect a leader with').default('jackstop-watch'))
    .addOption(durationOption('--lease-duration <duration>', 'how long a Lease holds without renewal', 15_000, '15s'))
    .addOption(durationOption('--resync <duration>', 'how often every cached object is reconciled again', 300_000, '5m'))
    .addOption(new Option('--page-size <n>', 'objects per list call').default(500).argParser(wholeNumber('--page-size', 1)))
    .addOption(new Option('--log-level <level>', 'pino log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .action(async (options) => {
      const { watch } = await import('../watch.ts')
      context.exitCode = await watch(options, context.io)
    })
}
