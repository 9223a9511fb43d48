// Every code a user can meet is documented, and every documented code still exists (fastify's habit).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'

const ROOT = new URL('../', import.meta.url).pathname
const CODE = /JACKSTOP_ERR_[A-Z0-9_]+/g

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => join(entry.parentPath, entry.name))
}

async function codesIn(texts: string[]): Promise<Set<string>> {
  return new Set(texts.flatMap((text) => text.match(CODE) ?? []))
}

const inSource = await codesIn(await Promise.all((await sourceFiles(join(ROOT, 'src'))).map((file) => readFile(file, 'utf8'))))
const docs = await readFile(join(ROOT, 'docs', 'errors.md'), 'utf8')
// A code counts as documented where it heads its own section.
const documented = new Set([...docs.matchAll(/^### `(JACKSTOP_ERR_[A-Z0-9_]+)`$/gm)].map((match) => match[1] as string))

t.test('every JACKSTOP_ERR_ code in src/ has its section in docs/errors.md', async (t) => {
  t.ok(inSource.size > 0, 'the scan finds codes')
  t.same(
    [...inSource].filter((code) => !documented.has(code)),
    [],
  )
})

t.test('docs/errors.md documents no code that src/ no longer has', async (t) => {
  t.same(
    [...documented].filter((code) => !inSource.has(code)),
    [],
  )
})
