// Part of `npm run build`: tsc compiles the function policies into dist/policies/; this copies
// what tsc does not emit (schema policies in YAML/JSON and the data/ files they read) beside them.
import { cpSync } from 'node:fs'
import { extname, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/* c8 ignore start: a build step; test/package/install.test.ts checks its output in the packed tarball */
const COPIED = new Set(['.yaml', '.yml', '.json'])
const from = fileURLToPath(new URL('../policies', import.meta.url))

cpSync(from, fileURLToPath(new URL('../dist/policies', import.meta.url)), {
  recursive: true,
  filter: (source) => {
    const path = relative(from, source)
    // Policy tests (policies/tests/) are for `jackstop test` in the repository, not for running.
    if (path === 'tests' || path.startsWith(`tests${sep}`)) return false
    return path === '' || extname(source) === '' || COPIED.has(extname(source))
  },
})
/* c8 ignore stop */
