// Writes new intel into the files of `data/intel/`, de-duplicated against every intel file
// already there. Comments and layout of the curated files survive (YAML documents are edited,
// not regenerated), and nothing is written unless the result still loads.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { type Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml'
import { checkIntelDocument } from './load.ts'
import { INTEL_LISTS, type Intel, type IntelList, type PackageEntry } from './types.ts'

/** The file each list is written to; images, accounts and digests share one. */
export const FILE_OF: Readonly<Record<IntelList, string>> = {
  images: 'images.yaml',
  accounts: 'images.yaml',
  digests: 'images.yaml',
  pools: 'pools.yaml',
  programs: 'programs.yaml',
  installers: 'installers.yaml',
  packages: 'packages.yaml',
}

/** What makes two entries the same: the value, or for packages the package and the record id. */
export function entryKey(list: IntelList, entry: Record<string, unknown>): string {
  const text = (field: string) => String(entry[field] ?? '').toLowerCase()
  switch (list) {
    case 'packages': {
      const name = entry.ecosystem === 'PyPI' ? text('name').replace(/[-_.]+/g, '-') : text('name')
      return `${String(entry.ecosystem)}:${name}:${String(entry.id)}`
    }
    case 'pools':
      return text('domain')
    case 'installers':
      return text('prefix')
    case 'digests':
      return text('digest')
    default:
      return text('name')
  }
}

export interface WriteReport {
  added: number
  updated: number
  unchanged: number
  /** Files written, relative to the intel directory. */
  files: string[]
}

interface Located {
  file: string
  node: YAMLMap
}

export async function writeIntel(intelDir: string, additions: Partial<Intel>): Promise<WriteReport> {
  const documents = new Map<string, Document>()
  const names = await readdir(intelDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })
  for (const name of names.filter((file) => !file.startsWith('.') && ['.yaml', '.yml', '.json'].includes(extname(file))).sort()) {
    const document = parseDocument(await readFile(join(intelDir, name), 'utf8'))
    // A file that does not load now is not edited: the import stops and names it.
    checkIntelDocument(document.toJS(), `intel/${name}`)
    documents.set(name, document)
  }
  const index = new Map<string, Located>()
  for (const [file, document] of documents) {
    for (const list of INTEL_LISTS) {
      const seq = document.get(list)
      if (!isSeq(seq)) continue
      for (const node of seq.items) if (isMap(node)) index.set(`${list}|${entryKey(list, node.toJSON() as Record<string, unknown>)}`, { file, node })
    }
  }
  const report: WriteReport = { added: 0, updated: 0, unchanged: 0, files: [] }
  const dirty = new Set<string>()
  for (const list of INTEL_LISTS) {
    for (const entry of (additions[list] ?? []) as unknown as Record<string, unknown>[]) {
      const key = `${list}|${entryKey(list, entry)}`
      const found = index.get(key)
      if (found !== undefined) {
        if (list === 'packages' && mergeVersions(found.node, entry as unknown as PackageEntry)) {
          report.updated++
          dirty.add(found.file)
        } else report.unchanged++
        continue
      }
      const file = FILE_OF[list]
      let document = documents.get(file)
      if (document === undefined) {
        document = parseDocument(`# Written by \`jackstop intel import\`; entries keep their source and date.\n${list}: []\n`)
        documents.set(file, document)
      }
      let seq = document.get(list) as YAMLSeq | undefined
      if (!isSeq(seq)) {
        document.set(list, document.createNode([]))
        seq = document.get(list) as YAMLSeq
      }
      seq.flow = false
      const node = document.createNode(entry) as YAMLMap
      if (list !== 'packages') node.flow = true
      seq.items.push(node)
      index.set(key, { file, node })
      report.added++
      dirty.add(file)
    }
  }
  // Check every changed document before writing any: a bad feed must not leave half a change.
  for (const file of dirty) checkIntelDocument((documents.get(file) as Document).toJS(), `intel/${file}`)
  if (dirty.size > 0) await mkdir(intelDir, { recursive: true })
  for (const file of [...dirty].sort()) {
    const path = join(intelDir, file)
    await writeFile(`${path}.tmp`, String(documents.get(file)))
    await rename(`${path}.tmp`, path)
    report.files.push(file)
  }
  return report
}

/** Adds versions an updated record lists; true when something was added. */
function mergeVersions(node: YAMLMap, entry: PackageEntry): boolean {
  // Every document was checked before editing: a package entry's versions are a list.
  const versions = node.get('versions', true) as unknown as YAMLSeq
  const current = versions.toJSON() as string[]
  const missing = entry.versions.filter((version) => !current.includes(version))
  if (missing.length === 0) return false
  for (const version of missing) versions.add(version)
  return true
}
