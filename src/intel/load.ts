// Reads `data/intel/` of a policies directory: every YAML or JSON file in it, merged. Feeds
// imported later sit in their own files beside the curated ones; all are checked the same way.
import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { Ajv } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { describeAjvErrors } from '../policy/ajv-errors.ts'
import { intelFileSchema } from './schema.ts'
import { emptyIntel, INTEL_LISTS, type Intel } from './types.ts'

const validateIntelFile = new Ajv({ allErrors: true, strict: true }).compile(intelFileSchema)
const INTEL_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

export class IntelFileProblem extends Error {}

/** Checks one intel document; throws with every problem in it. */
export function checkIntelDocument(document: unknown, file: string): Partial<Intel> {
  if (document === null || document === undefined) return {}
  if (!validateIntelFile(document)) throw new IntelFileProblem(`${file}: ${describeAjvErrors(validateIntelFile.errors)}`)
  return document as Partial<Intel>
}

/** The merged intel of `dir` (absent directory: no intel). */
export async function loadIntel(dir: string): Promise<Intel> {
  const intel = emptyIntel()
  let names: string[]
  try {
    names = (await readdir(dir)).filter((name) => !name.startsWith('.') && INTEL_EXTENSIONS.has(extname(name))).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return intel
    throw new IntelFileProblem(`${dir}: ${(error as Error).message}`)
  }
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8').catch((error: Error) => {
      throw new IntelFileProblem(`intel/${name}: ${error.message}`)
    })
    let document: unknown
    try {
      document = parseYaml(text)
    } catch (error) {
      throw new IntelFileProblem(`intel/${name}: not valid YAML: ${(error as Error).message.split('\n')[0]}`)
    }
    const part = checkIntelDocument(document, `intel/${name}`)
    for (const list of INTEL_LISTS) (intel[list] as unknown[]).push(...(part[list] ?? []))
  }
  return intel
}
