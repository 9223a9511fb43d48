// Every string of a container a miner can hide in, expanded the way the kubelet expands
// `$(VAR)`: a pool split across env entries is whole again by the time it is scanned.
import type { V1Container } from '../workloads/kubernetes.ts'
import { envFromEntries, mountedTexts, type PodEnvironment, valueFromOf } from './container-sources.ts'
import { ExpansionAllowance, expandVariables } from './expansion.ts'
import { expandShellVariables } from './shell-expansion.ts'
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

/**
 * Throws an UnreviewableError when `$(VAR)` expansion would take the container past `allowance`.
 * With the pod's `environment`, env values from annotations, labels and ConfigMaps (valueFrom,
 * envFrom) and the files of mounted downwardAPI and ConfigMap volumes are read too.
 */
export function containerTexts(container: V1Container, allowance = new ExpansionAllowance(), environment?: PodEnvironment): ContainerText[] {
  const texts: ContainerText[] = []
  const env = container.env ?? []
  // envFrom comes first and env entries override it, as in the kubelet.
  const fromConfigMaps = environment === undefined ? [] : envFromEntries(container, environment)
  for (const { field, text } of fromConfigMaps) texts.push({ field, text })
  const resolvedValue = (entry: (typeof env)[number] | undefined): string | undefined =>
    typeof entry?.value === 'string' ? entry.value : environment === undefined ? undefined : valueFromOf(entry, environment)
  const initial = (upTo: number) =>
    new Map<string, string>([
      ...fromConfigMaps.map(({ name, text }) => [name, text] as [string, string]),
      ...env.slice(0, upTo).flatMap((entry) => {
        const value = resolvedValue(entry)
        return value === undefined || typeof entry?.name !== 'string' ? [] : [[entry.name, value] as [string, string]]
      }),
    ])
  // The variables map is built only when something refers to a variable.
  let variables: Map<string, string> | undefined
  const needsExpansion = (text: string) => text.includes('$(')
  env.forEach((entry, index) => {
    let value = resolvedValue(entry)
    if (value === undefined) return
    // An env value sees the entries defined before it, as in the kubelet.
    if (variables !== undefined || needsExpansion(value)) {
      variables ??= initial(index)
      value = expandVariables(value, variables, allowance, `env[${index}].value`)
      variables.set(entry.name, value)
    }
    texts.push(new ListItem(value, 'env', index, typeof entry.value === 'string' ? '.value' : '.valueFrom'))
  })
  const add = (list: string, items: unknown) => {
    const values = strings(items)
    if (values.some(needsExpansion)) {
      variables ??= initial(env.length)
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
  if (environment !== undefined) texts.push(...mountedTexts(container, environment))
  // `sh -c '$A$B'` joins env values at run time: read the joined text too (shell-expansion.ts).
  if (texts.some((text) => text.text.includes('$'))) {
    const shell = variables ?? initial(env.length)
    if (shell.size > 0) {
      for (const text of [...texts]) {
        if (!text.text.includes('$')) continue
        const field = text instanceof ListItem ? text.line : text.field
        const expanded = expandShellVariables(text.text, shell, allowance, field)
        if (expanded !== text.text) texts.push({ field: `${text.field} (shell-expanded)`, text: expanded })
      }
    }
  }
  return texts
}

/**
 * The command lines a container runs, each list joined with spaces (`["-o", "host:3333"]` is
 * `-o host:3333`), and each env value on its own: grammars read words in order across items.
 */
export function commandLines(texts: readonly ContainerText[]): ScannedText[] {
  const lines: ScannedText[] = []
  let group: ListItem[] = []
  const flush = () => {
    if (group.length === 1) lines.push(group[0] as ListItem)
    else if (group.length > 1) lines.push(new JoinedLine(group))
    group = []
  }
  for (const text of texts) {
    if (!(text instanceof ListItem) || text.line.startsWith('env[')) {
      flush()
      lines.push(text)
      continue
    }
    if (group.length > 0 && (group[0] as ListItem).line !== text.line) flush()
    group.push(text)
  }
  flush()
  return lines
}

/** Items of one list read as one command line; its field is the first item's, built only when asked. */
class JoinedLine implements ScannedText {
  readonly text: string
  readonly #first: ListItem
  constructor(items: readonly ListItem[]) {
    this.text = items.map((item) => item.text).join(' ')
    this.#first = items[0] as ListItem
  }
  get field(): string {
    return this.#first.field
  }
}

export function containerPorts(container: V1Container): { field: string; port: number }[] {
  return (container.ports ?? []).flatMap((port, index) => {
    const found = []
    if (typeof port?.containerPort === 'number') found.push({ field: `ports[${index}].containerPort`, port: port.containerPort })
    if (typeof port?.hostPort === 'number') found.push({ field: `ports[${index}].hostPort`, port: port.hostPort })
    return found
  })
}
