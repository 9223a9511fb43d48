// Every string of a container a miner can hide in, expanded the way the kubelet expands
// `$(VAR)`: a pool split across env entries is whole again by the time it is scanned.
import type { V1Container } from '../workloads/kubernetes.ts'
import { envFromEntries, mountedTexts, type PodEnvironment, valueFromOf } from './container-sources.ts'
import { ExpansionAllowance, expandVariables } from './expansion.ts'
import type { ReviewBudget } from './review-budget.ts'
import { expandScriptVariables, expandShellVariables, maySetVariables } from './shell-expansion.ts'
import { mayHaveShellQuotes, shellUnquoted } from './shell-quotes.ts'
import type { ScannedText } from './signals.ts'

export type ContainerText = ScannedText

const HOOKS = ['postStart', 'preStop'] as const
/** Options whose value says what is mined (`-a rx/0`, `--coin monero`). */
const SELECTORS = new Set(['-a', '--algo', '--algorithm', '--coin'])
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const

/** A text whose field name is only built when a signal is found in it (most never are). */
class ListItem implements ScannedText {
  readonly text: string
  /** Command, args, env, hook and probe items are always read in full. */
  declare readonly configOnly?: undefined
  /** The list the text belongs to, `args` read as `command`: items of one list form one command line (env values do not). */
  readonly group: string
  readonly #list: string
  readonly #index: number
  readonly #suffix: string
  constructor(text: string, list: string, index: number, suffix = '') {
    this.text = text
    this.group = list === 'args' ? 'command' : list
    this.#list = list
    this.#index = index
    this.#suffix = suffix
  }
  /** The command line the text belongs to: `command` (command and args), a hook's or probe's list, `env[3]`. */
  get line(): string {
    return this.#list === 'env' ? `env[${this.#index}]` : this.group
  }
  get field(): string {
    return `${this.#list}[${this.#index}]${this.#suffix}`
  }
}

/** An env entry's value: its literal, or what its `valueFrom` reads from the pod's environment. */
function envValueOf(entry: unknown, environment: PodEnvironment | undefined): string | undefined {
  const literal = (entry as { value?: unknown } | undefined)?.value
  if (typeof literal === 'string') return literal
  return environment === undefined ? undefined : valueFromOf(entry, environment)
}

/**
 * What `container` reads and runs, expanded and unquoted as it will run. `budget`, when given, is
 * charged for each text expanded or unquoted before the work: one annotation a downwardAPI volume
 * gives to every container is a script per container, and past the budget it is not expanded again.
 */
export function containerTexts(
  container: V1Container,
  allowance = new ExpansionAllowance(),
  environment?: PodEnvironment,
  budget?: ReviewBudget,
): ContainerText[] {
  // Past the budget these texts would be refused at their first charge: refuse before building them
  // (a downwardAPI script run by thousands of containers was expanded for each).
  budget?.assertLeft()
  const texts: ContainerText[] = []
  const env = container.env ?? []
  // A malformed env fails the policy (closed), as it always has; the object-shape check refuses it first.
  if (!Array.isArray(env)) throw new TypeError('env is not a list')
  // envFrom comes first and env entries override it, as in the kubelet.
  const fromConfigMaps = environment === undefined ? [] : envFromEntries(container, environment)
  // The shell join below runs only when some text has a `$`, noticed as texts are collected;
  // the unquoting only when a command, args, hook or probe item has a quote or a backslash.
  let dollar = false
  let quoted = false
  for (const { field, text } of fromConfigMaps) {
    texts.push({ field, text })
    if (text.includes('$')) dollar = true
  }
  const initial = (upTo: number) => {
    const variables = new Map<string, string>()
    for (const { name, text } of fromConfigMaps) variables.set(name, text)
    for (let index = 0; index < upTo; index++) {
      const entry = env[index]
      const value = envValueOf(entry, environment)
      if (value !== undefined && typeof entry?.name === 'string') variables.set(entry.name, value)
    }
    return variables
  }
  // The variables map is built only when something refers to a variable.
  let variables: Map<string, string> | undefined
  for (let index = 0; index < env.length; index++) {
    const entry = env[index]
    const literal = entry?.value
    let value = typeof literal === 'string' ? literal : envValueOf(entry, environment)
    if (value === undefined) continue
    // One search per value: most have no `$`, and only a value with one can refer to a variable or be joined by a shell.
    if (value.includes('$')) {
      // An env value sees the entries defined before it, as in the kubelet.
      if (variables !== undefined || value.includes('$(')) {
        variables ??= initial(index)
        value = expandVariables(value, variables, allowance, `env[${index}].value`)
      }
      if (value.includes('$')) dollar = true
    }
    variables?.set((entry as { name: string }).name, value)
    texts.push(new ListItem(value, 'env', index, typeof literal === 'string' ? '.value' : '.valueFrom'))
  }
  const add = (list: string, items: unknown) => {
    if (!Array.isArray(items)) return
    const values = items.filter((item): item is string => typeof item === 'string')
    let refers = false
    for (const text of values) {
      if (!text.includes('$')) continue
      dollar = true
      if (text.includes('$(')) refers = true
    }
    // Once one item refers to a variable, every item is expanded (`$$` becomes `$`).
    if (refers) {
      variables ??= initial(env.length)
      for (let index = 0; index < values.length; index++) values[index] = expandVariables(values[index] as string, variables, allowance, `${list}[${index}]`)
    }
    for (let index = 0; index < values.length; index++) {
      // `-a` `rx/0` are two elements of args but one option: read the selector with its value.
      const text = values[index] as string
      // Looked for after the kubelet's expansion: the shell unquotes what `$(VAR)` brought in too.
      if (!quoted && mayHaveShellQuotes(text)) quoted = true
      const next = values[index + 1]
      texts.push(new ListItem(next !== undefined && SELECTORS.has(text) ? `${text} ${next}` : text, list, index))
    }
  }
  add('command', container.command)
  add('args', container.args)
  const { lifecycle } = container
  if (lifecycle !== undefined) for (const hook of HOOKS) add(`lifecycle.${hook}.exec.command`, lifecycle?.[hook]?.exec?.command)
  for (const probe of PROBES) {
    const command = container[probe]?.exec?.command
    if (command !== undefined) add(`${probe}.exec.command`, command)
  }
  // Mounted files the container runs (not read only for a config): a shell reads them as it reads `sh -c` scripts.
  let mountedScripts: Set<ContainerText> | undefined
  if (environment !== undefined) {
    const count = texts.length
    for (const mounted of mountedTexts(container, environment, () => texts.slice(0, count).map((text) => text.text))) {
      texts.push(mounted)
      if (mounted.configOnly === true) continue
      if (mounted.text.includes('$')) dollar = true
      if (!quoted && mayHaveShellQuotes(mounted.text)) quoted = true
      mountedScripts ??= new Set()
      mountedScripts.add(mounted)
    }
  }
  // What a shell may run as a script: command, args, hook and probe items and those files (an env value's quotes stay when it is expanded).
  const isScript = (text: ContainerText) => (text instanceof ListItem ? text.group !== 'env' : mountedScripts?.has(text) === true)
  // Shell expansions of scripts, unquoted below like the scripts themselves (built only when there are some).
  let expandedScripts: Set<ContainerText> | undefined
  // `sh -c '$A$B'` joins env values at run time: read the joined text too (shell-expansion.ts).
  if (dollar) {
    const shell = variables ?? initial(env.length)
    const count = texts.length
    for (let index = 0; index < count; index++) {
      const text = texts[index] as ContainerText
      // A config file is not run by a shell: its `$` are not expansions.
      if (text.configOnly === true || !text.text.includes('$')) continue
      // A script also joins the variables it sets or defaults itself (`A=xm; $A"rig"`, `${P:-pool}`); an env value sets none.
      const script = isScript(text)
      if (shell.size === 0 && !(script && maySetVariables(text.text))) continue
      const field = text instanceof ListItem ? text.line : text.field
      budget?.charge(text.text.length)
      const expanded = script ? expandScriptVariables(text.text, shell, allowance, field, quoted) : expandShellVariables(text.text, shell, allowance, field)
      if (expanded === text.text) continue
      const entry = { field: `${text.field} (shell-expanded)`, text: expanded }
      texts.push(entry)
      if (quoted && script) {
        expandedScripts ??= new Set()
        expandedScripts.add(entry)
      }
    }
  }
  // A script's quotes and backslashes are removed by the shell before a program sees a word
  // (`x''mrig`, `raw.githubusercontent"."com`): read such a script once more as the shell does.
  if (quoted) {
    const count = texts.length
    for (let index = 0; index < count; index++) {
      const text = texts[index] as ContainerText
      if (!(isScript(text) || expandedScripts?.has(text) === true) || !mayHaveShellQuotes(text.text)) continue
      budget?.charge(text.text.length)
      const unquoted = shellUnquoted(text.text)
      if (unquoted !== text.text) texts.push({ field: `${text.field} (shell-unquoted)`, text: unquoted })
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
  let first = -1
  const flush = (end: number) => {
    lines.push(end - first === 1 ? (texts[first] as ListItem) : new JoinedLine(texts, first, end))
    first = -1
  }
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index] as ContainerText
    if (!(text instanceof ListItem) || text.group === 'env') {
      if (first !== -1) flush(index)
      // A file read only for a config is not a command line.
      if (text.configOnly !== true) lines.push(text)
      continue
    }
    if (first !== -1 && (texts[first] as ListItem).group !== text.group) flush(index)
    if (first === -1) first = index
  }
  if (first !== -1) flush(texts.length)
  return lines
}

/**
 * Calls `read` with each command line of `texts`, in the order `commandLines` lists them, without
 * building that list (most lines are one env value that `read` turns away at once). Returns, by
 * the line's index in `commandLines`, true where `read` did (sparse: unset reads as false). The
 * grouping is commandLines' own, written twice: one loop serving both (a callback or a branch per
 * line) made commandLines twice as slow. test/detect/detection-edges.test.ts holds them together.
 */
export function readCommandLines(texts: readonly ContainerText[], read: (line: ScannedText) => boolean): boolean[] {
  const said: boolean[] = []
  let count = 0
  let first = -1
  const flush = (end: number) => {
    if (read(end - first === 1 ? (texts[first] as ListItem) : new JoinedLine(texts, first, end))) said[count] = true
    count += 1
    first = -1
  }
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index] as ContainerText
    if (!(text instanceof ListItem) || text.group === 'env') {
      if (first !== -1) flush(index)
      // A file read only for a config is not a command line.
      if (text.configOnly === true) continue
      if (read(text)) said[count] = true
      count += 1
      continue
    }
    if (first !== -1 && (texts[first] as ListItem).group !== text.group) flush(index)
    if (first === -1) first = index
  }
  if (first !== -1) flush(texts.length)
  return said
}

/** Items of one list read as one command line; its field is the first item's, built only when asked. */
class JoinedLine implements ScannedText {
  readonly text: string
  readonly #first: ListItem
  constructor(texts: readonly ContainerText[], from: number, to: number) {
    let text = (texts[from] as ContainerText).text
    for (let index = from + 1; index < to; index++) text += ` ${(texts[index] as ContainerText).text}`
    this.text = text
    this.#first = texts[from] as ListItem
  }
  get field(): string {
    return this.#first.field
  }
}

export function containerPorts(container: V1Container): { field: string; port: number }[] {
  const found: { field: string; port: number }[] = []
  const ports = container.ports ?? []
  for (let index = 0; index < ports.length; index++) {
    const port = ports[index]
    if (typeof port?.containerPort === 'number') found.push({ field: `ports[${index}].containerPort`, port: port.containerPort })
    if (typeof port?.hostPort === 'number') found.push({ field: `ports[${index}].hostPort`, port: port.hostPort })
  }
  return found
}
