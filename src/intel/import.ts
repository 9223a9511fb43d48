// `jackstop intel import`: OSV records and plain indicator lists into `data/intel/`. Runs at
// the operator's hand (or in CI), never at serve time: the webhook only reads the files.
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { IntelImportError } from '../errors.ts'
import { type ListKind, listEntries } from './ioc-list.ts'
import { isOsvRecord, osvPackageEntries } from './osv.ts'
import { INTEL_LISTS, type Intel } from './types.ts'
import { type WriteReport, writeIntel } from './write.ts'

export interface ImportOptions {
  /** The policies directory whose `data/intel/` receives the entries. */
  policies: string
  /** What a plain list holds; OSV records need none. */
  kind?: ListKind | undefined
  /** Who published the list (plain lists), or overrides `OSV` (records). */
  source?: string | undefined
  /** When it was published (plain lists); default today. */
  date?: string | undefined
}

export interface ImportReport extends WriteReport {
  /** Records or lines that were not used, each with the reason. */
  skipped: string[]
}

export interface IntelText {
  /** A file name or URL, for messages. */
  name: string
  text: string
}

const today = () => new Date().toISOString().slice(0, 10)

function emptyAdditions(): Intel {
  return { images: [], accounts: [], digests: [], pools: [], programs: [], installers: [], packages: [] }
}

/** JSON that is an OSV record or a list of them; undefined when the text is not JSON. */
function jsonRecords(text: string, name: string): unknown[] | undefined {
  const trimmed = text.trimStart()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined
  let document: unknown
  try {
    document = JSON.parse(trimmed)
  } catch (error) {
    throw new IntelImportError(`${name}: not valid JSON: ${(error as Error).message}`)
  }
  return Array.isArray(document) ? document : [document]
}

/** Reads texts into intel additions, then writes them; the whole import is refused on a bad input. */
export async function importIntelTexts(texts: readonly IntelText[], options: ImportOptions): Promise<ImportReport> {
  const additions = emptyAdditions()
  const skipped: string[] = []
  for (const { name, text } of texts) {
    const records = jsonRecords(text, name)
    if (records !== undefined) {
      for (const record of records) {
        if (!isOsvRecord(record)) throw new IntelImportError(`${name}: JSON that is not an OSV record (no id or affected list)`)
        const result = osvPackageEntries(record, options.source)
        additions.packages.push(...result.entries)
        skipped.push(...result.skipped.map((line) => `${name}: ${line}`))
      }
      continue
    }
    if (options.kind === undefined) throw new IntelImportError(`${name}: not an OSV record; give --kind for a plain list`)
    const date = options.date ?? today()
    if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(date)) throw new IntelImportError(`--date ${date}: expected YYYY, YYYY-MM or YYYY-MM-DD`)
    const result = listEntries(text, options.kind, { source: options.source ?? basename(name), date })
    for (const list of INTEL_LISTS) (additions[list] as unknown[]).push(...(result.entries[list] ?? []))
    skipped.push(...result.rejected.map((line) => `${name}: ${line}`))
  }
  try {
    return { ...(await writeIntel(join(options.policies, 'data', 'intel'), additions)), skipped }
  } catch (error) {
    throw new IntelImportError(`${options.policies}: ${(error as Error).message}`)
  }
}

/** A file, or every `.json` under a directory (a checkout of ossf/malicious-packages). */
export async function readIntelPath(path: string): Promise<IntelText[]> {
  const info = await stat(path).catch((error: Error) => {
    throw new IntelImportError(`${path}: ${error.message}`)
  })
  if (!info.isDirectory()) return [{ name: path, text: await readFile(path, 'utf8') }]
  const entries = await readdir(path, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.json')).map((entry) => join(entry.parentPath, entry.name))
  return Promise.all(files.sort().map(async (file) => ({ name: file, text: await readFile(file, 'utf8') })))
}

export async function importIntelFiles(paths: readonly string[], options: ImportOptions): Promise<ImportReport> {
  const texts: IntelText[] = []
  for (const path of paths) texts.push(...(await readIntelPath(path)))
  return importIntelTexts(texts, options)
}
