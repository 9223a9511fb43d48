// Finds the packages a container installs at start-up (`pip install X==V`, `npm i X@V`,
// `go install M@v`, `gem install X -v V` ...), so a version known to carry a miner is refused
// before it runs. One pass over shell-like words: no regular expression rescans the text.

export type Ecosystem = 'PyPI' | 'npm' | 'Go' | 'RubyGems' | 'crates.io'

export interface PackageInstall {
  ecosystem: Ecosystem
  /** As written (`Ultralytics`, `@rspack/core`, `github.com/a/b/cmd/c`). */
  name: string
  /** The exact version asked for, when there is one. */
  version: string | undefined
}

// A word, or a shell separator that ends a command. Quotes are dropped: `'x==1'` is `x==1`.
const WORDS = /[;&|\n]|[^\s;&|()'"`<>]+/g

/** Options of pip, npm and gem that take a value (the value is not a package). */
const VALUE_OPTIONS = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-t',
  '--target',
  '--trusted-host',
  '-f',
  '--find-links',
  '--prefix',
  '--root',
  '--registry',
  '--cache',
  '--source',
  '-s',
  '--install-dir',
  '--bindir',
  '--git',
  '--path',
  '--branch',
  '--tag',
  '--rev',
])

function baseName(word: string): string {
  const slash = word.lastIndexOf('/')
  return (slash === -1 ? word : word.slice(slash + 1)).toLowerCase()
}

const isPip = (word: string) => /^pip\d?(\.\d+)?$/.test(word)
const isPython = (word: string) => /^python\d?(\.\d+)?$/.test(word)

/** How many words start an installer at `words[index]`, and for which ecosystem. */
function installerAt(words: readonly string[], index: number): { ecosystem: Ecosystem; length: number; runsOne?: true } | undefined {
  const first = baseName(words[index] as string)
  const second = words[index + 1]?.toLowerCase()
  const third = words[index + 2]?.toLowerCase()
  if (isPip(first) && second === 'install') return { ecosystem: 'PyPI', length: 2 }
  if (first === 'pipx' && second === 'install') return { ecosystem: 'PyPI', length: 2 }
  if (isPython(first) && second === '-m' && third !== undefined && isPip(third) && words[index + 3]?.toLowerCase() === 'install')
    return { ecosystem: 'PyPI', length: 4 }
  if (first === 'uv' && second === 'pip' && third === 'install') return { ecosystem: 'PyPI', length: 3 }
  if (first === 'uv' && (second === 'add' || (second === 'tool' && third === 'install'))) return { ecosystem: 'PyPI', length: second === 'add' ? 2 : 3 }
  if (first === 'npm' && (second === 'i' || second === 'install' || second === 'add' || second === 'isntall')) return { ecosystem: 'npm', length: 2 }
  if ((first === 'npx' || first === 'bunx') && second !== undefined) return { ecosystem: 'npm', length: 1, runsOne: true }
  if (first === 'yarn' && second === 'add') return { ecosystem: 'npm', length: 2 }
  if (first === 'yarn' && second === 'global' && third === 'add') return { ecosystem: 'npm', length: 3 }
  if ((first === 'pnpm' || first === 'bun') && (second === 'add' || second === 'install' || second === 'i')) return { ecosystem: 'npm', length: 2 }
  if (first === 'pnpm' && second === 'dlx') return { ecosystem: 'npm', length: 2, runsOne: true }
  if (first === 'go' && (second === 'install' || second === 'get' || second === 'run')) return { ecosystem: 'Go', length: 2 }
  if (first === 'gem' && second === 'install') return { ecosystem: 'RubyGems', length: 2 }
  if (first === 'cargo' && second === 'install') return { ecosystem: 'crates.io', length: 2 }
  return undefined
}

/** `name==1.2`, `name[extra]===1.2`, `name>=1` (no exact version). */
function pypiSpec(word: string): PackageInstall | undefined {
  const equals = word.indexOf('==')
  const namePart = equals === -1 ? (word.split(/[<>=!~;@[]/)[0] as string) : word.slice(0, equals)
  const name = namePart.replace(/\[.*$/, '')
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return undefined
  const version =
    equals === -1
      ? undefined
      : (word
          .slice(equals + 2)
          .replace(/^=/, '')
          .split(/[;,\s]/)[0] as string)
  return { ecosystem: 'PyPI', name, version: version === '' ? undefined : version }
}

/** `name@1.2.3`, `@scope/name@1.2.3`, `name` (no version). A range (`^1.2`) is no exact version. */
function npmSpec(word: string): PackageInstall | undefined {
  const at = word.indexOf('@', 1)
  const name = at === -1 ? word : word.slice(0, at)
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return undefined
  const version = at === -1 ? undefined : word.slice(at + 1)
  return { ecosystem: 'npm', name, version: version !== undefined && /^v?\d[\w.+-]*$/.test(version) ? version.replace(/^v/, '') : undefined }
}

function atSpec(ecosystem: Ecosystem, word: string): PackageInstall | undefined {
  const at = word.lastIndexOf('@')
  const name = at <= 0 ? word : word.slice(0, at)
  if (!/^[\w.~/-]+$/.test(name)) return undefined
  return { ecosystem, name, version: at <= 0 ? undefined : word.slice(at + 1) }
}

/** Every package that `text` installs, in order. */
export function packageInstalls(text: string): PackageInstall[] {
  const found: PackageInstall[] = []
  const words = text.match(WORDS) ?? []
  for (let index = 0; index < words.length; index++) {
    const installer = installerAt(words, index)
    if (installer === undefined) continue
    const { ecosystem } = installer
    let pendingVersionFor: PackageInstall[] = []
    let next = index + installer.length
    for (; next < words.length; next++) {
      const word = words[next] as string
      if (word === ';' || word === '&' || word === '|' || word === '\n') break
      const lower = word.toLowerCase()
      // gem install x -v 1.2, cargo install x --version 1.2: the version follows the names.
      if (lower === '-v' || lower === '--version') {
        const version = words[next + 1]
        if (version !== undefined) for (const install of pendingVersionFor) install.version = version
        next++
        continue
      }
      if (lower.startsWith('--version=')) {
        for (const install of pendingVersionFor) install.version = word.slice('--version='.length)
        continue
      }
      if (word.startsWith('-')) {
        if (VALUE_OPTIONS.has(lower)) next++
        continue
      }
      const install =
        ecosystem === 'PyPI'
          ? pypiSpec(word)
          : ecosystem === 'npm'
            ? npmSpec(word)
            : ecosystem === 'RubyGems' && word.includes(':')
              ? { ecosystem, name: word.slice(0, word.indexOf(':')), version: word.slice(word.indexOf(':') + 1) }
              : atSpec(ecosystem, word)
      if (install === undefined) continue
      found.push(install)
      if (install.version === undefined) pendingVersionFor.push(install)
      else pendingVersionFor = []
      // npx runs one package; what follows are its arguments.
      if (installer.runsOne) break
    }
    index = next - 1
  }
  return found
}
