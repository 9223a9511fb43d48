// Runs the test files in a few processes instead of one each: a process of its own costs a test
// file about 2.5 CPU-seconds (tap's start, the coverage hooks, loading the same sources again),
// more than most files spend testing. docs/testing.md has the figures.
//
// `npm test` runs the entry files in test/groups/ (tap's `include`); each runs the files its group
// names, one after another, each inside a subtest named after the file. Every *.test.ts under
// test/ belongs to exactly one group: the one whose list names it most specifically (a file, or a
// folder ending in '/'), else the one group with an empty list. A new file is therefore never
// forgotten, and `npx tap test/x/y.test.ts` still runs one file in a process of its own.
import { readdirSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'

const TEST_ROOT = fileURLToPath(new URL('../', import.meta.url))
const GROUP_ENTRIES = fileURLToPath(new URL('../groups/', import.meta.url))

/**
 * Group name (its entry file is test/groups/NAME.ts) to the files and folders it runs; the group
 * with an empty list runs every file no other group names. tap starts the entry files in name
 * order, `jobs` at a time: the numbers put the groups that take longest first.
 */
export const GROUPS: Record<string, string[]> = {
  '1-package': ['package/'],
  '2-watch': ['watch/'],
  '3-linear-time': ['detect/linear-time.test.ts'],
  '4-cli': ['cli/'],
  '5-rest': [],
  '6-cli-scan': ['cli/scan.test.ts', 'cli/scan-hardening.test.ts', 'cli/intel.test.ts'],
  '7-server': ['server/', 'certs/', 'remediate/'],
  '8-detect': ['detect/', 'policies/', 'policy/', 'policytest/'],
}

/** The group that runs everything no other group names. */
export const REST = Object.keys(GROUPS).find((group) => GROUPS[group]?.length === 0) ?? ''

/** Every test file, as a path under test/ with '/' separators, in name order; fixtures are data (as in tap's exclude). */
export function testFiles(): string[] {
  return readdirSync(TEST_ROOT, { recursive: true, encoding: 'utf8' })
    .map((path) => path.split('\\').join('/'))
    .filter((path) => path.endsWith('.test.ts') && !path.split('/').some((part) => part.startsWith('fixture')))
    .sort()
}

/** The group that runs a test file: the one naming it most specifically (a file beats its folder). */
export function groupOf(file: string): string {
  let best = { group: REST, length: 0 }
  for (const [group, entries] of Object.entries(GROUPS)) {
    for (const entry of entries) {
      const names = entry.endsWith('/') ? file.startsWith(entry) : file === entry
      if (names && entry.length > best.length) best = { group, length: entry.length }
    }
  }
  return best.group
}

/** The test files one group runs. */
export function filesOf(group: string): string[] {
  if (!(group in GROUPS)) throw new Error(`no group ${group} in test/helpers/groups.ts`)
  return testFiles().filter((file) => groupOf(file) === group)
}

/** The groups that have an entry file in test/groups/. */
export function groupEntries(): string[] {
  return readdirSync(GROUP_ENTRIES)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => basename(name, '.ts'))
    .sort()
}

// Each file's `import t from 'tap'` resolves to its own subtest instead of the process's root:
// a file-level teardown, testdir or timeout then belongs to that file, as in a process of its own.
const fileTests = new Map<string, Test>()
const FILE_TAP = new URL('./group-tap.ts', import.meta.url).href

/** The subtest that stands for a test file's root `t` (read by ./group-tap.ts). */
export function fileTest(file: string): Test {
  const test = fileTests.get(file)
  if (test === undefined) throw new Error(`${file} is not running in a group`)
  return test
}

let hooked = false
function routeTapImports(): void {
  if (hooked) return
  hooked = true
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL
      if (specifier !== 'tap' || parent === undefined || !parent.endsWith('.test.ts')) return nextResolve(specifier, context)
      const file = fileURLToPath(parent).slice(TEST_ROOT.length).split('\\').join('/')
      if (!fileTests.has(file)) return nextResolve(specifier, context)
      return { url: `${FILE_TAP}?file=${encodeURIComponent(file)}`, shortCircuit: true }
    },
  })
}

/**
 * Runs the files of the group whose entry file is `entryUrl`, each in a subtest of its name. The
 * time limit is tap's `timeout` for the whole group; a file may set its own with `t.setTimeout`.
 */
export async function runGroup(entryUrl: string): Promise<void> {
  routeTapImports()
  const group = basename(fileURLToPath(entryUrl), '.ts')
  for (const file of filesOf(group)) {
    await t.test(file, async (ft) => {
      fileTests.set(file, ft)
      await import(new URL(file, `file://${TEST_ROOT}`).href)
    })
  }
}
