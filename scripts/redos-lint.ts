// `npm run lint:redos`: every regular expression jackstop runs on a request must match in time
// linear in its input (JavaScript's RegExp backtracks; RE2 and Go's regexp do not). Literals
// and constant `new RegExp(...)` sources are read from src/ and policies/ with the TypeScript
// parser; patterns built at run time (from the policy data files) are captured while the
// default policy set loads. Each is scored by redos-detector; a score above the limit fails.
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isSafePattern } from 'redos-detector'
import ts from 'typescript'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCANNED_DIRS = ['src', 'policies']

export interface FoundPattern {
  where: string
  source: string
  flags: string
}

export interface Verdict extends FoundPattern {
  reason: string
  /** The analysis ran out of steps or time on a pattern built from data: reported, not failed. */
  unproven?: boolean
}

/**
 * Paths a match may take through a pattern before a failing input makes the engine backtrack
 * too much; redos-detector's own default. A score of 1 means a single way to match.
 */
const MAX_SCORE = 200
/** Steps, not time, bound the analysis, so a verdict is the same on a loaded machine. */
const MAX_STEPS = 20_000
const GAVE_UP = 'analysis did not finish within its step limit'

// redos-detector's parser does not read group names; a name does not change how a group backtracks.
const NAMED_GROUP = /(?<!\\)\(\?<(?![=!])[A-Za-z_$][\w$]*>/g

/**
 * Why `pattern` is super-linear, or undefined when it is safe. The pattern is scored anchored
 * (`^(?:…)`): redos-detector counts the retry at every start position of an unanchored pattern
 * as unbounded, which would flag even `ab*c`. What is checked is the backtracking of one match
 * attempt; the cost of retrying at every position is what test/detect/linear-time.test.ts measures.
 */
export function redosReason(pattern: { source: string; flags: string }, maxSteps = MAX_STEPS): string | undefined {
  const { flags } = pattern
  // Without `*`, `+` or `{…}` one attempt's work is bounded by the pattern's own text (a word list
  // of fixed-length alternatives), however many ways redos-detector counts for it. A counted
  // repetition is analysed: `(a|a){1,30}` is bounded too, but by 2^30 paths.
  if (!hasRepetition(pattern.source)) return undefined
  const result = isSafePattern(`^(?:${pattern.source.replace(NAMED_GROUP, '(?:')})`, {
    caseInsensitive: flags.includes('i'),
    unicode: /[uv]/.test(flags),
    dotAll: flags.includes('s'),
    multiLine: flags.includes('m'),
    maxScore: MAX_SCORE,
    maxSteps,
  })
  if (result.safe) return undefined
  if (result.error === 'hitMaxSteps') return GAVE_UP
  return `more than ${MAX_SCORE} ways to backtrack over one input`
}

/** Whether `source` repeats anything (`*`, `+`, `{n}`, `{n,m}`, `{n,}`) outside character classes; `?` is not counted. */
export function hasRepetition(source: string): boolean {
  let inClass = false
  for (let index = 0; index < source.length; index++) {
    const char = source[index]
    if (char === '\\') index += 1
    else if (inClass) inClass = char !== ']'
    else if (char === '[') inClass = true
    else if (char === '*' || char === '+' || (char === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(index, index + 24)))) return true
  }
  return false
}

/** Regex literals and `new RegExp('constant')` in one TypeScript source. */
export function patternsInSource(file: string, text: string): FoundPattern[] {
  const found: FoundPattern[] = []
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const where = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
  const visit = (node: ts.Node) => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text
      const end = literal.lastIndexOf('/')
      found.push({ where: where(node), source: literal.slice(1, end), flags: literal.slice(end + 1) })
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [pattern, flags] = node.arguments ?? []
      if (pattern !== undefined && ts.isStringLiteralLike(pattern)) {
        found.push({ where: where(node), source: pattern.text, flags: flags !== undefined && ts.isStringLiteralLike(flags) ? flags.text : '' })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** Every RegExp constructed while `load` runs, with the stack line that built it. */
export async function patternsBuiltWhile(load: () => Promise<unknown>): Promise<FoundPattern[]> {
  const found: FoundPattern[] = []
  const original = globalThis.RegExp
  globalThis.RegExp = new Proxy(original, {
    construct(target, args: [string | RegExp, string?]) {
      const built = new target(...args)
      const caller = String(new Error().stack).split('\n').slice(2, 3).join('').trim()
      found.push({ where: `built ${caller}`, source: built.source, flags: built.flags })
      return built
    },
  })
  try {
    await load()
  } finally {
    globalThis.RegExp = original
  }
  return found
}

/**
 * The patterns that fail. A pattern written in the source must be proven safe; one built from
 * policy data (word lists compiled into tries) whose analysis does not finish is reported as
 * unproven instead: its cost is pinned by the size-growth tests of test/detect/linear-time.test.ts.
 */
export function lint(patterns: FoundPattern[], cache = new Map<string, string | null>(), maxSteps = MAX_STEPS): Verdict[] {
  const seen = new Set<string>()
  const verdicts: Verdict[] = []
  for (const pattern of patterns) {
    const key = `/${pattern.source}/${pattern.flags}`
    if (seen.has(key)) continue
    seen.add(key)
    // The analysis takes seconds for some patterns; a verdict depends only on the pattern.
    if (!cache.has(key)) cache.set(key, redosReason(pattern, maxSteps) ?? null)
    const reason = cache.get(key) ?? undefined
    if (reason === undefined) continue
    verdicts.push(reason === GAVE_UP && pattern.where.startsWith('built ') ? { ...pattern, reason, unproven: true } : { ...pattern, reason })
  }
  return verdicts
}

/* c8 ignore start: the entry point walks the whole repository; npm test runs it as lint:redos before the tests */
async function* typeScriptFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* typeScriptFiles(path)
    else if (entry.name.endsWith('.ts')) yield path
  }
}

// Named by the limits and messages a verdict depends on, so a change to them starts a new cache.
const CACHE_FILE = join(
  ROOT,
  'node_modules',
  '.cache',
  `jackstop-redos-lint-${createHash('sha256').update(`${MAX_SCORE} ${MAX_STEPS} ${GAVE_UP} ${redosReason}`).digest('hex').slice(0, 12)}.json`,
)

async function readCache(): Promise<Map<string, string | null>> {
  try {
    return new Map(Object.entries(JSON.parse(await readFile(CACHE_FILE, 'utf8')) as Record<string, string | null>))
  } catch {
    return new Map()
  }
}

async function main(): Promise<number> {
  const patterns: FoundPattern[] = []
  for (const dir of SCANNED_DIRS) {
    for await (const file of typeScriptFiles(join(ROOT, dir))) patterns.push(...patternsInSource(relative(ROOT, file), await readFile(file, 'utf8')))
  }
  const literals = patterns.length
  patterns.push(
    ...(await patternsBuiltWhile(async () => {
      const { loadPolicySet } = await import('../src/policy/load.ts')
      await loadPolicySet(join(ROOT, 'policies'))
    })),
  )
  const cache = await readCache()
  const verdicts = lint(patterns, cache)
  await mkdir(dirname(CACHE_FILE), { recursive: true })
  await writeFile(CACHE_FILE, JSON.stringify(Object.fromEntries(cache)))
  for (const { where, source, flags, reason, unproven } of verdicts) {
    const shown = source.length > 160 ? `${source.slice(0, 160)}…` : source
    process.stderr.write(`${unproven ? 'unproven' : 'super-linear'} ${where}: /${shown}/${flags}: ${reason}\n`)
  }
  const failed = verdicts.filter((verdict) => verdict.unproven !== true).length
  process.stdout.write(
    `redos-lint: ${literals} patterns in source, ${patterns.length - literals} built from policy data; ${failed} super-linear, ${verdicts.length - failed} unproven\n`,
  )
  return failed === 0 ? 0 : 1
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main()
/* c8 ignore stop */
