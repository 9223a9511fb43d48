// Every `jackstop <command> --flag` that README.md or a page of docs/ names in code must be a
// flag of that command, as its --help lists it, so the docs cannot promise what the CLI lacks.
import { readdir, readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import t from 'tap'
import { buildProgram } from '../../src/cli/program.ts'

const root = new URL('../../', import.meta.url)

/** Each command's flags as its --help shows them, `-h` and `--help` included; a command with subcommands (`intel import`) has theirs too. */
function flagsByCommand(): Map<string, Set<string>> {
  const program = buildProgram({
    io: { stdin: (async function* () {})(), stdout: { write: () => true }, stderr: { write: () => true }, env: {}, onShutdown: () => {} },
    exitCode: 0,
  })
  const commands: readonly Command[] = program.commands
  const flags = new Map<string, Set<string>>([['', new Set(['--version', '-V', '--help', '-h'])]])
  for (const command of commands) {
    const help = command.createHelp()
    const listed = [command, ...command.commands].flatMap((each) => help.visibleOptions(each).flatMap((option) => [option.long, option.short]))
    flags.set(command.name(), new Set(listed.filter((flag): flag is string => flag !== undefined)))
  }
  return flags
}

interface Named {
  file: string
  command: string
  flag: string
  text: string
}

// `jackstop check`, `npm run jackstop -- check`; the text that follows, up to a pipe into another program.
const INVOCATION = /\bjackstop(?: --(?= ))?((?:(?!\s\|\s+[a-z]).)*)/g
const FLAG = /(?<=^|[\s[|])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?=$|[\s\]|=<])/g

/** Code in a markdown page: fenced blocks line by line (a synopsis continues on indented `[` lines), and inline code. */
function codeSpans(markdown: string): string[] {
  const spans: string[] = []
  const prose = markdown.replace(/^```[^\n]*\n([\s\S]*?)^```$/gm, (_block, body: string) => {
    spans.push(...body.replace(/\n\s+(?=\[)/g, ' ').split('\n'))
    return ''
  })
  for (const [, code] of prose.matchAll(/`([^`\n]+)`/g)) spans.push(code as string)
  return spans
}

function namedFlags(file: string, markdown: string, commands: ReadonlySet<string>): Named[] {
  const named: Named[] = []
  for (const span of codeSpans(markdown)) {
    for (const [text, rest = ''] of span.matchAll(INVOCATION)) {
      // The longest command path the words name: `intel import` before `intel`.
      const words = rest.trim().split(/\s+/)
      let command = ''
      let used = 0
      while (used < words.length && commands.has(`${command} ${words[used]}`.trim())) command = `${command} ${words[used++]}`.trim()
      const flags = [...words.slice(used).join(' ').matchAll(FLAG)].map(([flag]) => flag as string)
      const word = words[used]
      // `jackstop refused Pod …` in a message is prose; a word that is followed by flags stands for a command.
      if (command === '' && word !== undefined && /^[a-z]/.test(word)) {
        if (flags.length > 0) for (const flag of flags) named.push({ file, command: word, flag, text: text.trim() })
        continue
      }
      for (const flag of flags) named.push({ file, command, flag, text: text.trim() })
    }
  }
  return named
}

t.test('every flag the README and docs/ give a jackstop command is in that command’s --help', async (t) => {
  const flags = flagsByCommand()
  const pages = (await readdir(new URL('docs/', root))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)
  let checked = 0
  for (const file of ['README.md', ...pages]) {
    const markdown = await readFile(new URL(file, root), 'utf8')
    for (const { command, flag, text } of namedFlags(file, markdown, new Set(flags.keys()))) {
      const known = flags.get(command) // undefined: no such command
      t.ok(known?.has(flag), `${file}: \`${text}\`: jackstop ${command} ${flag}`.replace('  ', ' '))
      checked++
    }
  }
  t.ok(checked > 20, `${checked} flags checked`)
})

t.test('the doc scanner finds flags in synopses, inline code and npm run, and ignores prose and pipes', async (t) => {
  const commands = new Set(['check', 'scan', 'intel', 'intel import'])
  const page = [
    'Run `npm run jackstop -- check --policies p -o json x.yaml`.',
    '```',
    'jackstop scan [--kubeconfig FILE] [-n NS]',
    '              [--no-such-flag]',
    'jackstop scan -o policyreport | kubectl apply -f -',
    '"message":"jackstop refused Pod x --not-a-flag"',
    '```',
    'jackstop check --fail-on warn in prose is not code.',
    '`jackstop bogus --flag`',
    '`jackstop intel import --kind pools list.txt` and `jackstop --version`',
  ].join('\n')
  t.same(
    namedFlags('page.md', page, commands).map(({ command, flag }) => `${command} ${flag}`),
    ['scan --kubeconfig', 'scan -n', 'scan --no-such-flag', 'scan -o', 'check --policies', 'check -o', 'bogus --flag', 'intel import --kind', ' --version'],
  )
})
