// Replays "The authoring loop, worked through" of docs/policies.md from its text alone: the
// commands in its `sh` blocks run in order in a fresh folder, the blocks that start with a file
// name are written to that file, and a plain block after a command is the output it must print.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import t from 'tap'
import { runCli } from '../helpers/cli.ts'

const page = await readFile(new URL('../../docs/policies.md', import.meta.url), 'utf8')
const section = page.slice(page.indexOf('## The authoring loop, worked through'))

interface Block {
  lang: string
  body: string
}
const blocks: Block[] = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, lang, body]) => ({ lang: lang ?? '', body: body ?? '' }))

t.test('the worked example of docs/policies.md runs as written', async (t) => {
  const dir = t.testdir({})
  const home = process.cwd()
  process.chdir(dir)
  t.teardown(() => process.chdir(home))
  let last: { command: string; stdout: string } | undefined
  let commands = 0
  let files = 0
  for (const { lang, body } of blocks) {
    const named = body.match(/^(?:#|\/\/) ([\w./-]+\.(?:yaml|ts))\n/)
    if (lang === 'sh') {
      const command = body.trim()
      t.match(command, /^jackstop [^\n]+$/, 'one jackstop command per block')
      const result = await runCli(command.split(/\s+/).slice(1))
      t.equal(result.stderr, '', command)
      last = { command, stdout: result.stdout }
      commands++
    } else if (named !== null) {
      const file = join(dir, named[1] as string)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, body)
      files++
    } else if (lang === '' && last !== undefined) {
      t.equal(last.stdout, body, `the output shown for ${last.command}`)
      last = undefined
    }
  }
  // Two scaffolds, the test run and the check; the two policies, their data, tests and the manifest.
  t.same({ commands, files }, { commands: 4, files: 8 })
})
