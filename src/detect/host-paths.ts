// Judges a hostPath by what it reaches on the node, not by its spelling: `//var/run/./crio/`,
// `/run/crio` and `/var/run/crio/crio.sock` are one door, `/var` holds `/var/lib/kubelet`, and
// `/proc/4242/root` is the node's `/` for any pid. Issue 12 found 19 such paths admitted.

export interface HostPathRule {
  /** Absolute; `*` is one path component (a pid, a uid). */
  path: string
  why: string
}

export interface ReadOnlyRule extends HostPathRule {
  /** What a read-only mount gets; a writable one is always refused. */
  readOnly: 'allow' | 'warn' | 'deny' | 'audit'
}

export interface HostPathRules {
  /** Directories that are symlinks on the node: `/var/run` -> `/run`. */
  aliases: Readonly<Record<string, string>>
  refused: readonly HostPathRule[]
  readOnly: readonly ReadOnlyRule[]
}

/** One way a pod reaches a hostPath: the volume's path joined with a mount's subPath. */
export interface HostPathMount {
  path: string
  readOnly: boolean
  /** A subPathExpr: the container's environment picks what lies below, so anything under `path` is reachable. */
  open: boolean
}

export type HostPathVerdict =
  | { kind: 'refused'; path: string; rule: HostPathRule; relation: 'is' | 'under' | 'holds' }
  | { kind: 'writable'; path: string; rule: ReadOnlyRule; relation: 'is' | 'under' | 'holds' }
  | { kind: 'read-only'; path: string; rule: ReadOnlyRule }
  | { kind: 'unlisted'; path: string }

/** Components of a path as the kernel resolves it lexically: empty and `.` dropped, `..` pops (never above `/`). */
function componentsOf(path: string): string[] {
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return parts
}

interface CompiledRule<Rule> {
  rule: Rule
  segments: string[]
}

const matches = (pattern: string, component: string | undefined) => pattern === '*' || pattern === component

/** The path is the rule's path or lies under it. The root rule matches only the root. */
function isAtOrUnder(path: readonly string[], rule: readonly string[]): boolean {
  if (rule.length === 0) return path.length === 0
  return rule.length <= path.length && rule.every((pattern, index) => matches(pattern, path[index]))
}

/** The rule's path lies strictly under the path: mounting the path exposes it. */
function holds(path: readonly string[], rule: readonly string[]): boolean {
  return path.length < rule.length && path.every((component, index) => matches(rule[index] as string, component))
}

export function compileHostPathRules(rules: HostPathRules): {
  normalise(path: string): string
  judge(mount: HostPathMount): HostPathVerdict
} {
  const aliases = Object.entries(rules.aliases).map(([from, to]) => ({ from: componentsOf(from), to: componentsOf(to) }))
  const canonical = (path: string): string[] => {
    const components = componentsOf(path)
    const alias = aliases.find(({ from }) => from.length > 0 && isAtOrUnder(components, from))
    return alias === undefined ? components : [...alias.to, ...components.slice(alias.from.length)]
  }
  const compile = <Rule extends HostPathRule>(list: readonly Rule[]): CompiledRule<Rule>[] => list.map((rule) => ({ rule, segments: canonical(rule.path) }))
  const refused = compile(rules.refused)
  const readOnly = compile(rules.readOnly)

  /** The most specific rule the path is or lies under; a refusal wins a tie. */
  function governing(path: string[]): { kind: 'refused' | 'read-only'; compiled: CompiledRule<HostPathRule | ReadOnlyRule> } | undefined {
    let best: { kind: 'refused' | 'read-only'; compiled: CompiledRule<HostPathRule | ReadOnlyRule> } | undefined
    for (const compiled of refused) {
      if (isAtOrUnder(path, compiled.segments) && (best === undefined || compiled.segments.length > best.compiled.segments.length)) {
        best = { kind: 'refused', compiled }
      }
    }
    for (const compiled of readOnly) {
      if (isAtOrUnder(path, compiled.segments) && (best === undefined || compiled.segments.length > best.compiled.segments.length)) {
        best = { kind: 'read-only', compiled }
      }
    }
    return best
  }

  function judge(mount: HostPathMount): HostPathVerdict {
    const path = canonical(mount.path)
    const shown = `/${path.join('/')}`
    const found = governing(path)
    const relation = (segments: string[]) => (segments.length === path.length ? 'is' : 'under')
    if (found?.kind === 'refused') return { kind: 'refused', path: shown, rule: found.compiled.rule, relation: relation(found.compiled.segments) }
    const held = refused.find((compiled) => holds(path, compiled.segments))
    if (found !== undefined) {
      const rule = found.compiled.rule as ReadOnlyRule
      if (!mount.readOnly) return { kind: 'writable', path: shown, rule, relation: relation(found.compiled.segments) }
      // A read-only /proc is not held against the /proc/<pid>/root inside it; a subPathExpr could still point there.
      if (mount.open && held !== undefined) return { kind: 'refused', path: shown, rule: held.rule, relation: 'holds' }
      return { kind: 'read-only', path: shown, rule }
    }
    if (held !== undefined) return { kind: 'refused', path: shown, rule: held.rule, relation: 'holds' }
    const heldReadOnly = readOnly.find((compiled) => holds(path, compiled.segments))
    if (heldReadOnly !== undefined && !mount.readOnly) return { kind: 'writable', path: shown, rule: heldReadOnly.rule, relation: 'holds' }
    return { kind: 'unlisted', path: shown }
  }

  return { normalise: (path) => `/${canonical(path).join('/')}`, judge }
}
