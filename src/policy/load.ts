// Loads a policies directory: YAML/JSON schema policies and TypeScript function policies, with
// tunable data from `data/`. Everything is compiled here, once, so evaluation only runs matchers.
import type { Dirent } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import { parse as parseYaml } from 'yaml'
import type { Check, Policy, PolicySet, Target, Violation } from '../engine/types.ts'
import { PolicyLoadError } from '../errors.ts'
import { loadIntel } from '../intel/load.ts'
import { emptyIntel, type Intel } from '../intel/types.ts'
import { describeAjvErrors } from './ajv-errors.ts'
import type { FunctionPolicy } from './definition.ts'
import { compileExemptions } from './exemptions.ts'
import { policyKit } from './kit.ts'
import { functionPolicySchema, schemaPolicyFileSchema } from './meta-schema.ts'
import { schemaCache } from './schema-cache.ts'

const SCHEMA_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
const MODULE_EXTENSIONS = new Set(['.ts', '.js', '.mjs'])

/** A problem in one file; the loader gathers them all before refusing the set. */
class FileProblem extends Error {}

function newAjv(): Ajv {
  // Strict catches unknown keywords (a typo would weaken a policy); type annotations stay optional.
  return new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false })
}

const metaAjv = newAjv()
const validateSchemaPolicyFile = metaAjv.compile(schemaPolicyFileSchema)
const validateFunctionPolicy = metaAjv.compile(functionPolicySchema)

const compiledSchemas = schemaCache<ValidateFunction>(512)

function compileSchema(schema: object, field: string): ValidateFunction {
  try {
    return compiledSchemas(schema, () => newAjv().compile(schema))
  } catch (error) {
    throw new FileProblem(`${field} does not compile: ${(error as Error).message}`)
  }
}

async function readYaml(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8')
  try {
    return parseYaml(text)
  } catch (error) {
    // The yaml library's first line already says where: `... at line 3, column 5:`.
    throw new FileProblem(`not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
}

/** `/securityContext/privileged` -> `securityContext.privileged`, `/ports/0` -> `ports[0]` */
function fieldFromPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((field, part) => (/^\d+$/.test(part) ? `${field}[${part}]` : field === '' ? part : `${field}.${part}`), '')
}

function schemaCheck(target: Target, validate: ValidateFunction, message: string): Check {
  const run = (value: unknown): Violation[] => {
    if (validate(value)) return []
    /* c8 ignore next: ajv always sets errors when validation fails */
    const fields = new Set((validate.errors ?? []).map((error) => fieldFromPointer(error.instancePath)))
    return [...fields].map((field) => (field === undefined ? { message } : { field, message: `${field}: ${message}` }))
  }
  return { mode: 'validate', target, run } as Check
}

async function loadSchemaPolicy(file: string): Promise<Policy> {
  const document = await readYaml(file)
  if (!validateSchemaPolicyFile(document)) throw new FileProblem(describeAjvErrors(validateSchemaPolicyFile.errors))
  const definition = document as {
    id: string
    description: string
    severity: Policy['severity']
    action: Policy['action']
    target: Target
    message: string
    schema: object
    exempt?: Parameters<typeof compileExemptions>[0]
    remediate?: Policy['remediate']
  }
  const validate = compileSchema(definition.schema, '/schema')
  return {
    id: definition.id,
    description: definition.description,
    severity: definition.severity,
    action: definition.action,
    file,
    exempt: compileExemptions(definition.exempt),
    check: schemaCheck(definition.target, validate, definition.message),
    ...(definition.remediate === undefined ? {} : { remediate: definition.remediate }),
  }
}

async function loadFunctionPolicy(file: string, dataDir: string, intel: Intel): Promise<Policy> {
  // The modification time in the URL makes a reload import the new version, not the cached one.
  const { mtimeMs } = await stat(file)
  const module = (await import(`${pathToFileURL(file).href}?mtime=${mtimeMs}`)) as { default?: unknown }
  const definition = module.default
  if (!validateFunctionPolicy(definition)) {
    throw new FileProblem(`default export: ${describeAjvErrors(validateFunctionPolicy.errors)}`)
  }
  const policy = definition as unknown as FunctionPolicy
  if (typeof policy.prepare !== 'function') throw new FileProblem('default export: /prepare must be a function')
  if (policy.mode === 'mutate' && (policy.target as string) === 'configmap')
    throw new FileProblem('default export: /target of a mutation must be pod or container')
  let data: unknown = {}
  if (policy.data !== undefined) {
    const dataFile = join(dataDir, policy.data)
    try {
      data = await readYaml(dataFile)
    } catch (error) {
      const reason =
        error instanceof FileProblem ? error.message : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message
      throw new FileProblem(`data file ${policy.data}: ${reason}`)
    }
    if (policy.dataSchema !== undefined) {
      const validateData = compileSchema(policy.dataSchema, 'default export: /dataSchema')
      if (!validateData(data)) throw new FileProblem(`data file ${policy.data}: ${describeAjvErrors(validateData.errors)}`)
    }
  }
  let run: unknown
  try {
    run = (policy.prepare as (input: { data: unknown; intel: Intel; kit: typeof policyKit }) => unknown)({ data, intel, kit: policyKit })
  } catch (error) {
    throw new FileProblem(`prepare() failed: ${(error as Error).message}`)
  }
  if (typeof run !== 'function') throw new FileProblem('prepare() must return a function')
  return {
    id: policy.id,
    description: policy.description,
    severity: policy.severity,
    action: policy.action,
    file,
    exempt: compileExemptions(policy.exempt),
    check: { mode: policy.mode, target: policy.target, run } as Check,
    ...(policy.remediate === undefined ? {} : { remediate: policy.remediate }),
  }
}

/** Loads every policy in `dir`; refuses the whole set if any file is broken (fail closed). */
export async function loadPolicySet(dir: string): Promise<PolicySet> {
  let names: string[]
  try {
    // A ConfigMap mount presents its files as symlinks into `..data`: follow them.
    const entries = await readdir(dir, { withFileTypes: true })
    const isFile = async (entry: Dirent) =>
      entry.isFile() || (entry.isSymbolicLink() && (await stat(join(dir, entry.name)).catch(() => undefined))?.isFile() === true)
    names = (await Promise.all(entries.map(async (entry) => ((await isFile(entry)) ? entry.name : undefined)))).filter(
      (name): name is string => name !== undefined,
    )
  } catch (error) {
    throw new PolicyLoadError(`${dir}: cannot read the policies directory: ${(error as Error).message}`)
  }
  const problems: string[] = []
  // Intel is read once for the whole set: every policy sees the same evidence.
  let intel = emptyIntel()
  try {
    intel = await loadIntel(join(dir, 'data', 'intel'))
  } catch (error) {
    problems.push(`${relative(process.cwd(), join(dir, 'data'))}/${(error as Error).message}`)
  }
  const policies: Policy[] = []
  const seen = new Map<string, string>()
  for (const name of names.sort()) {
    // ConfigMap mounts add `..data` links and dotfiles; they are not policies.
    if (name.startsWith('.') || name.endsWith('.d.ts')) continue
    const extension = extname(name)
    const file = join(dir, name)
    const shown = relative(process.cwd(), file)
    if (!SCHEMA_EXTENSIONS.has(extension) && !MODULE_EXTENSIONS.has(extension)) continue
    try {
      const policy = SCHEMA_EXTENSIONS.has(extension) ? await loadSchemaPolicy(file) : await loadFunctionPolicy(file, join(dir, 'data'), intel)
      const earlier = seen.get(policy.id)
      if (earlier !== undefined) throw new FileProblem(`/id "${policy.id}" is already used by ${earlier}`)
      seen.set(policy.id, shown)
      policies.push({ ...policy, file: shown })
    } catch (error) {
      problems.push(`${shown}: ${error instanceof FileProblem ? error.message : `cannot load: ${(error as Error).message}`}`)
    }
  }
  if (problems.length > 0) throw new PolicyLoadError(problems.join('\n'))
  if (policies.length === 0) throw new PolicyLoadError(`${dir}: no policy files found (a webhook without policies would admit everything)`)
  return { policies, source: dir, loadedAt: new Date() }
}
