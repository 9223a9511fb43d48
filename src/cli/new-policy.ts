// `jackstop new-policy NAME --yaml|--ts`: writes a working policy and its test case, never
// over an existing file, so an author starts from a passing `jackstop test`. Flags: commands/new-policy.ts.
import { access, mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { UsageError } from '../errors.ts'
import { POLICY_ID_PATTERN } from '../policy/meta-schema.ts'
import { type ScaffoldKind, scaffoldFiles } from '../policy/scaffold.ts'
import type { CliIo } from './io.ts'

export interface NewPolicyOptions {
  yaml?: boolean
  ts?: boolean
  policies: string
}

/** Every extension the loader reads: a NAME.yml beside a new NAME.ts would be a second policy with the same id. */
const POLICY_EXTENSIONS = ['yaml', 'yml', 'json', 'ts', 'js', 'mjs']

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )

/** Exit code 0 once every file is written; a bad name, kind or an existing file throws a UsageError. */
export async function newPolicy(name: string, options: NewPolicyOptions, io: Pick<CliIo, 'stdout'>): Promise<number> {
  if (!new RegExp(POLICY_ID_PATTERN).test(name)) {
    throw new UsageError(`policy name "${name}" must be lower-case letters, digits and dashes, 1 to 63 characters, starting with a letter or digit`)
  }
  if (options.yaml === options.ts) throw new UsageError('choose one of --yaml (a schema policy) or --ts (a TypeScript policy)')
  const kind: ScaffoldKind = options.yaml === true ? 'yaml' : 'ts'
  const taken = [...POLICY_EXTENSIONS.map((extension) => `${name}.${extension}`), `tests/${name}`].map((path) => join(options.policies, path))
  const existing = (await Promise.all(taken.map(async (path) => ((await exists(path)) ? path : undefined)))).filter((path) => path !== undefined)
  if (existing.length > 0)
    throw new UsageError(
      `${existing.map((path) => relative(process.cwd(), path)).join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}; choose another name`,
    )
  const written: string[] = []
  for (const file of scaffoldFiles(name, kind)) {
    const path = join(options.policies, file.path)
    await mkdir(dirname(path), { recursive: true })
    // `wx` refuses a file that appeared since the check above.
    await writeFile(path, file.content, { flag: 'wx' })
    written.push(path)
  }
  for (const path of written) io.stdout.write(`created ${path}\n`)
  io.stdout.write(`next: edit them, then run\n  jackstop test ${join(options.policies, 'tests', name)} --policies ${options.policies}\n`)
  return 0
}
