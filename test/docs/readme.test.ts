// The README is a front page, not a diary: short, and pointing at every page of docs/. The
// folder table in docs/architecture.md keeps up with src/.
import { readdir, readFile, stat } from 'node:fs/promises'
import t from 'tap'

const root = new URL('../../', import.meta.url)
const read = (path: string) => readFile(new URL(path, root), 'utf8')

t.test('the README stays under 15 KB', async (t) => {
  const { size } = await stat(new URL('README.md', root))
  t.ok(size <= 15 * 1024, `README.md is ${size} bytes`)
})

t.test('the README links every page of docs/', async (t) => {
  const readme = await read('README.md')
  const pages = (await readdir(new URL('docs/', root))).filter((name) => name.endsWith('.md'))
  t.ok(pages.length > 0)
  for (const page of pages) t.ok(readme.includes(`](docs/${page})`), `README.md links docs/${page}`)
})

t.test('every folder of src/ has its row in the docs/architecture.md folder table', async (t) => {
  const architecture = await read('docs/architecture.md')
  const folders = (await readdir(new URL('src/', root), { withFileTypes: true })).filter((entry) => entry.isDirectory())
  t.ok(folders.length > 0)
  for (const { name } of folders) t.match(architecture, new RegExp(`^\\| [^|]*\`src/${name}/\``, 'm'), `src/${name}/`)
})
