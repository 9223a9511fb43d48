// Option parsers and environment variables shared by every command, strict in what they accept:
// a value the user did not mean (JACKSTOP_AUDIT_ONLY=false read as "set") is a usage error.
import { type Command, Help, Option } from 'commander'
import { UsageError } from '../errors.ts'
import type { CliIo } from './io.ts'

/** A whole number from `min` to `max` for `flag` (ports, sizes, delays, counts); "1e3", "0x10" and "" are refused. */
export function wholeNumber(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? (min > 0 ? ` of at least ${min}` : '') : ` from ${min} to ${max}`
  return (value) => {
    const parsed = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN
    if (!(parsed >= min && parsed <= max)) throw new UsageError(`${flag} must be a whole number${range}, not "${value}"`)
    return parsed
  }
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false }

/** `true/1` and `false/0` only: anything else would silently mean one of the two. */
export function strictBoolean(name: string, value: string): boolean {
  const parsed = BOOLEANS[value]
  if (parsed === undefined) throw new UsageError(`${name} must be true, false, 1 or 0, not "${value}"`)
  return parsed
}

// Commander reads process.env itself and takes any value of a boolean variable as "on";
// jackstop reads the environment it is given, through the option's own parser and choices.
const ENV_NAMES = new WeakMap<Option, string>()

/** Marks an option as settable from an environment variable (shown in --help). */
export function fromEnv(option: Option, name: string): Option {
  ENV_NAMES.set(option, name)
  return option
}

/** Fills options the command line left at their default from the environment. */
export function applyEnv(command: Command, env: CliIo['env']): void {
  for (const option of command.options) {
    const name = ENV_NAMES.get(option)
    const raw = name === undefined ? undefined : env[name]
    if (name === undefined || raw === undefined) continue
    const key = option.attributeName()
    const source = command.getOptionValueSource(key)
    if (source !== undefined && source !== 'default') continue
    let value: unknown = raw
    if (option.isBoolean()) value = strictBoolean(name, raw)
    else if (option.argChoices !== undefined && !option.argChoices.includes(raw))
      throw new UsageError(`${name} must be one of ${option.argChoices.join(', ')}, not "${raw}"`)
    else if (option.parseArg !== undefined) value = parseFromEnv(option.parseArg, name, raw)
    command.setOptionValueWithSource(key, value, 'env')
  }
}

function parseFromEnv(parse: (value: string, previous: unknown) => unknown, name: string, raw: string): unknown {
  try {
    return parse(raw, undefined)
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`)
  }
}

/** --help names the environment variable beside the default, as commander's own .env() does. */
export class HelpWithEnv extends Help {
  override optionDescription(option: Option): string {
    const text = super.optionDescription(option)
    const name = ENV_NAMES.get(option)
    if (name === undefined) return text
    return `${text} (env: ${option.isBoolean() ? `${name}=true|false|1|0` : name})`
  }
}

/** Adds how the cluster commands (scan, watch, undo) find their cluster: a kubeconfig and context, or the pod's service account. */
export function withClusterOptions(command: Command): Command {
  return command
    .addOption(fromEnv(new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)'), 'KUBECONFIG'))
    .addOption(new Option('--context <name>', 'kubeconfig context (default: the current one)'))
    .addOption(new Option('--in-cluster', 'use the pod service account').default(false))
}

export function policiesOption(defaultDir: string): Option {
  return fromEnv(new Option('--policies <dir>', 'policies directory').default(defaultDir), 'JACKSTOP_POLICIES')
}
