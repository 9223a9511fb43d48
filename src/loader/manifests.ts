// Reads Kubernetes manifests the way `kubectl apply -f` takes them: files or directories of
// YAML or JSON, multi-document YAML, `List` objects, or standard input.
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { LineCounter, parseAllDocuments } from 'yaml'
import { isRecord, type KubeObject } from '../workloads/kubernetes.ts'

export interface LoadedObject {
  object: KubeObject
  /** `manifests/web.yaml:12`, or `-:3` for standard input. */
  source: string
  file: string
  line: number
}

export interface LoadProblem {
  file: string
  line: number | undefined
  message: string
}

export interface LoadResult {
  objects: LoadedObject[]
  problems: LoadProblem[]
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

async function manifestFiles(path: string): Promise<string[]> {
  const info = await stat(path)
  if (!info.isDirectory()) return [path]
  const entries = await readdir(path, { withFileTypes: true })
  const nested = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => {
        const child = join(path, entry.name)
        if (entry.isDirectory()) return manifestFiles(child)
        return Promise.resolve(MANIFEST_EXTENSIONS.has(extname(entry.name)) ? [child] : [])
      }),
  )
  return nested.flat()
}

/** `List`, `PodList`, `DeploymentList` …: their items are the objects. */
function expandLists(object: KubeObject): KubeObject[] {
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    return object.items.filter(isRecord).flatMap((item) => expandLists(item as KubeObject))
  }
  return [object]
}

/** Parses one file's text; a broken document is reported with its line and the others still load. */
export function parseManifests(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter()
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false })
  const result: LoadResult = { objects: [], problems: [] }
  for (const document of documents) {
    // The line of the document's first content, past any `---` marker. (yaml gives every
    // parsed document contents, a null scalar when it is empty.)
    const line = lineCounter.linePos((document.contents as unknown as { range: [number] }).range[0]).line
    if (document.errors.length > 0) {
      result.problems.push({ file, line, message: `not valid YAML: ${document.errors[0]?.message.split('\n')[0]}` })
      continue
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 })
    if (value === null || value === undefined) continue
    if (!isRecord(value) || typeof value.kind !== 'string') {
      result.problems.push({ file, line, message: 'not a Kubernetes object (no kind)' })
      continue
    }
    for (const object of expandLists(value as KubeObject)) result.objects.push({ object, file, line, source: `${file}:${line}` })
  }
  return result
}

/** Loads every path (`-` is standard input); unreadable paths become problems, not crashes. */
export async function loadManifests(paths: string[], stdin: () => Promise<string>): Promise<LoadResult> {
  const result: LoadResult = { objects: [], problems: [] }
  for (const path of paths) {
    if (path === '-') {
      const parsed = parseManifests(await stdin(), '-')
      result.objects.push(...parsed.objects)
      result.problems.push(...parsed.problems)
      continue
    }
    let files: string[]
    try {
      files = await manifestFiles(path)
    } catch (error) {
      result.problems.push({ file: path, line: undefined, message: `cannot read: ${(error as Error).message}` })
      continue
    }
    for (const file of files) {
      const parsed = parseManifests(await readFile(file, 'utf8'), file)
      result.objects.push(...parsed.objects)
      result.problems.push(...parsed.problems)
    }
  }
  return result
}
