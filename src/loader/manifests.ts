// Reads Kubernetes manifests the way `kubectl apply -f` takes them: files or directories of
// YAML or JSON, multi-document YAML with merge keys (`<<:`), `List` objects, or standard input.
// What kubectl could never apply (a chart's values.yaml, a kustomization.yaml, an unrendered
// Helm template) is skipped with a notice unless strict; anything with a kind is checked.
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
  /** Documents that are not Kubernetes objects, skipped rather than failed (not in strict mode). */
  skipped: LoadProblem[]
}

export interface LoadOptions {
  /** Every document must be a Kubernetes object, and Kustomizations are checked as objects (default). */
  strict: boolean
}

const NO_KIND = 'not a Kubernetes object (no kind)'
// kubectl has no such resource: the file is an input to `kubectl kustomize`, not an object.
const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io/'

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
export function parseManifests(text: string, file: string, options: LoadOptions = { strict: true }): LoadResult {
  const lineCounter = new LineCounter()
  // `merge`: YAML 1.1 merge keys, which kubectl and kustomize expand (a privileged block shared by `<<: *anchor`).
  // logLevel: a template's `{{ x }}` parses as a map key; the library's warning about it is noise here.
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true, logLevel: 'error' })
  const result: LoadResult = { objects: [], problems: [], skipped: [] }
  // A document that does not parse is an error, unless the file is a template kubectl could not apply either.
  const isTemplate = !options.strict && text.includes('{{')
  for (const document of documents) {
    // The line of the document's first content, past any `---` marker. (yaml gives every
    // parsed document contents, a null scalar when it is empty.)
    const line = lineCounter.linePos((document.contents as unknown as { range: [number] }).range[0]).line
    if (document.errors.length > 0) {
      if (isTemplate) result.skipped.push({ file, line, message: 'a template ({{ }}): render it and check the output (helm template … | jackstop check -)' })
      else result.problems.push({ file, line, message: `not valid YAML: ${document.errors[0]?.message.split('\n')[0]}` })
      continue
    }
    let value: unknown
    try {
      value = document.toJS({ maxAliasCount: 100 })
    } catch (error) {
      // An alias bomb (anchors and merge keys that expand exponentially) is refused, not expanded.
      result.problems.push({ file, line, message: `not readable: ${(error as Error).message}` })
      continue
    }
    if (value === null || value === undefined) continue
    if (!isRecord(value) || typeof value.kind !== 'string') {
      ;(options.strict ? result.problems : result.skipped).push({ file, line, message: NO_KIND })
      continue
    }
    if (!options.strict && typeof value.apiVersion === 'string' && value.apiVersion.startsWith(KUSTOMIZE_GROUP)) {
      result.skipped.push({ file, line, message: `a ${value.kind}: check what it renders (kubectl kustomize DIR | jackstop check -)` })
      continue
    }
    for (const object of expandLists(value as KubeObject)) result.objects.push({ object, file, line, source: `${file}:${line}` })
  }
  return result
}

function append(result: LoadResult, parsed: LoadResult): void {
  result.objects.push(...parsed.objects)
  result.problems.push(...parsed.problems)
  result.skipped.push(...parsed.skipped)
}

/** Loads every path (`-` is standard input); unreadable paths become problems, not crashes. */
export async function loadManifests(paths: string[], stdin: () => Promise<string>, options: LoadOptions = { strict: true }): Promise<LoadResult> {
  const result: LoadResult = { objects: [], problems: [], skipped: [] }
  for (const path of paths) {
    if (path === '-') {
      append(result, parseManifests(await stdin(), '-', options))
      continue
    }
    let files: string[]
    try {
      files = await manifestFiles(path)
    } catch (error) {
      result.problems.push({ file: path, line: undefined, message: `cannot read: ${(error as Error).message}` })
      continue
    }
    for (const file of files) append(result, parseManifests(await readFile(file, 'utf8'), file, options))
  }
  return result
}
