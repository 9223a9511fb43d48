// Every string of a container a miner can hide in, expanded the way the kubelet expands
// `$(VAR)`: a pool split across env entries is whole again by the time it is scanned.
import type { V1Container } from '../workloads/kubernetes.ts'
import { ExpansionAllowance, expandVariables } from './expansion.ts'
import type { ScannedText } from './signals.ts'

export type ContainerText = ScannedText

const HOOKS = ['postStart', 'preStop'] as const
/** Options whose value says what is mined (`-a rx/0`, `--coin monero`). */
const SELECTORS = new Set(['-a', '--algo', '--algorithm', '--coin'])
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const

/** A text whose field name is only built when a signal is found in it (most never are). */
class ListItem implements ScannedText {
  readonly text: string
  /** The command line the text belongs to: `command` (command and args), a hook's or probe's list, `env[3]`. */
  readonly line: string
  readonly #list: string
  readonly #index: number
  readonly #suffix: string
  constructor(text: string, list: string, index: number, suffix = '') {
    this.text = text
    this.line = list === 'args' ? 'command' : list === 'env' ? `env[${index}]` : list
    this.#list = list
    this.#index = index
    this.#suffix = suffix
  }
  get field(): string {
    return `${this.#list}[${this.#index}]${this.#suffix}`
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

/** Throws an UnreviewableError when `$(VAR)` expansion would take the container past `allowance`. */
export function containerTexts(container: V1Container, allowance = new ExpansionAllowance()): ContainerText[] {
  const texts: ContainerText[] = []
  const env = container.env ?? []
  // The variables map is built only when something refers to a variable.
  let variables: Map<string, string> | undefined
  const needsExpansion = (text: string) => text.includes('$(')
  env.forEach((entry, index) => {
    if (typeof entry?.value !== 'string') return
    let value = entry.value
    // An env value sees the entries defined before it, as in the kubelet.
    if (variables !== undefined || needsExpansion(value)) {
      variables ??= new Map(env.slice(0, index).flatMap((earlier) => (typeof earlier?.value === 'string' ? [[earlier.name, earlier.value]] : [])))
      value = expandVariables(value, variables, allowance, `env[${index}].value`)
      variables.set(entry.name, value)
    }
    texts.push(new ListItem(value, 'env', index, '.value'))
  })
  const add = (list: string, items: unknown) => {
    const values = strings(items)
    if (values.some(needsExpansion)) {
      variables ??= new Map(env.flatMap((entry) => (typeof entry?.value === 'string' ? [[entry.name, entry.value]] : [])))
      for (let index = 0; index < values.length; index++) values[index] = expandVariables(values[index] as string, variables, allowance, `${list}[${index}]`)
    }
    values.forEach((text, index) => {
      // `-a` `rx/0` are two elements of args but one option: read the selector with its value.
      const next = values[index + 1]
      const withValue = next !== undefined && SELECTORS.has(text) ? `${text} ${next}` : text
      texts.push(new ListItem(withValue, list, index))
    })
  }
  add('command', container.command)
  add('args', container.args)
  for (const hook of HOOKS) add(`lifecycle.${hook}.exec.command`, container.lifecycle?.[hook]?.exec?.command)
  for (const probe of PROBES) add(`${probe}.exec.command`, container[probe]?.exec?.command)
  return texts
}

/**
 * The command lines a container runs, each list joined with spaces (`["-o", "host:3333"]` is
 * `-o host:3333`), and each env value on its own: grammars read words in order across items.
 */
export function commandLines(texts: readonly ContainerText[]): ScannedText[] {
  const lines: { field: string; text: string }[] = []
  let current: { line: string; entry: { field: string; text: string } } | undefined
  for (const text of texts) {
    const line = text instanceof ListItem ? text.line : text.field
    if (current !== undefined && current.line === line) {
      current.entry.text += ` ${text.text}`
      continue
    }
    const entry = { field: text.field, text: text.text }
    lines.push(entry)
    current = { line, entry }
  }
  return lines
}

export function containerPorts(container: V1Container): { field: string; port: number }[] {
  return (container.ports ?? []).flatMap((port, index) => {
    const found = []
    if (typeof port?.containerPort === 'number') found.push({ field: `ports[${index}].containerPort`, port: port.containerPort })
    if (typeof port?.hostPort === 'number') found.push({ field: `ports[${index}].hostPort`, port: port.hostPort })
    return found
  })
}
