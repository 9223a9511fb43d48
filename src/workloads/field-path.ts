// A small path language for where custom resources keep their pods (pod-templates.json):
// dotted fields, `[*]` for every array item, `*` for every map value. Each match carries its
// concrete path (`spec.workerGroupSpecs[1].template.spec`) for findings.
import { isRecord } from './kubernetes.ts'

export interface Selected {
  path: string
  /** The same path as field names, for JSON pointers. */
  pointer: readonly string[]
  value: unknown
}

export function joinPath(base: string, field: string): string {
  return base === '' ? field : `${base}.${field}`
}

/** Every value at `path` under `root`; absent fields select nothing. */
export function selectPath(root: Selected, path: string): Selected[] {
  let current: Selected[] = [root]
  for (const segment of path.split('.')) {
    const each = segment.endsWith('[*]')
    const field = each ? segment.slice(0, -3) : segment
    const next: Selected[] = []
    for (const { path: at, pointer, value } of current) {
      if (!isRecord(value)) continue
      const fields = field === '*' ? Object.keys(value) : [field]
      for (const name of fields) {
        const child = value[name]
        if (child === undefined) continue
        const childPath = joinPath(at, name)
        if (!each) next.push({ path: childPath, pointer: [...pointer, name], value: child })
        else if (Array.isArray(child))
          next.push(...child.map((item, index) => ({ path: `${childPath}[${index}]`, pointer: [...pointer, name, String(index)], value: item })))
      }
    }
    current = next
  }
  return current
}
