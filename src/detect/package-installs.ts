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

/**
 * The words of a text, read on demand with at most four words of lookahead: no array of every
 * word is built, so a megabyte of short words costs no more per word than a kilobyte.
 */
class WordReader {
  private readonly pattern = new RegExp(WORDS)
  private readonly ahead: string[] = []
  private done = false
  private readonly text: string

  constructor(text: string) {
    this.text = text
  }

  /** The word `offset` places ahead of the current one (0: the current word). */
  peek(offset: number): string | undefined {
    while (this.ahead.length <= offset && !this.done) {
      const match = this.pattern.exec(this.text)
      // A global pattern restarts at 0 after its last match: remember the end instead.
      if (match === null) this.done = true
      else this.ahead.push(match[0])
    }
    return this.ahead[offset]
  }

  skip(count: number): void {
    this.peek(count - 1)
    this.ahead.splice(0, count)
  }
}

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

/** Every spelling npm takes for install: its aliases and every prefix of `install` from `in` (npm's abbrev). */
const NPM_INSTALL = new Set(['i', 'add', 'in', 'ins', 'inst', 'insta', 'instal', 'install', 'isnt', 'isnta', 'isntal', 'isntall'])

/** The programs installerAt starts an install with, by ecosystem, as patterns over a lower-cased base name. */
const INSTALLER_PROGRAMS: Readonly<Record<Ecosystem, string>> = {
  PyPI: 'pip[\\d.]*|pipx|python[\\d.]*|uvx?',
  npm: 'npm|npx|yarn|pnpm|bunx?',
  Go: 'go',
  RubyGems: 'gem',
  'crates.io': 'cargo',
}

export const ECOSYSTEMS = Object.keys(INSTALLER_PROGRAMS) as readonly Ecosystem[]

/**
 * Installers spelt inside another word, found anywhere: python's -m with pip attached, after other
 * flags or not (`-mpip`, `-Impip`). `mpip` is found from its `p`, which the expression already
 * starts from: `[a-z]*mpip` at every word start, or a bare `mpip` beside the other words, made the
 * package gate 3-4x slower on ordinary env values (48 vs 155-180 µs per 1,200 env values in a microbenchmark).
 */
const ATTACHED_INSTALLERS: Partial<Readonly<Record<Ecosystem, string>>> = { PyPI: 'p(?<=mp)ip' }

/**
 * A test for a text naming, in any case and as a whole word, an installer program of one of
 * `ecosystems`. Every install packageInstalls reads starts with such a word: the base name of a
 * shell word, so it stands between a word break, a slash or the text's ends, and those are \b
 * here; `-mpip` and `-Impip` are found by the `mpip` inside them (ATTACHED_INSTALLERS). Only U+212A (Kelvin) and U+0130 lower-case to ASCII letters, and no program name has a
 * k while İ becomes two characters, so no other spelling lower-cases into a program's name.
 */
export function installerMention(ecosystems: Iterable<Ecosystem>): (text: string) => boolean {
  const source = installerPattern(ecosystems)
  if (source === undefined) return () => false
  const pattern = new RegExp(source, 'i')
  return (text) => pattern.test(text)
}

/** The source of installerMention's expression (to be compiled case-blind), or undefined for no ecosystem. */
export function installerPattern(ecosystems: Iterable<Ecosystem>): string | undefined {
  const listed = [...new Set(ecosystems)]
  if (listed.length === 0) return undefined
  const attached = listed.flatMap((ecosystem) => ATTACHED_INSTALLERS[ecosystem] ?? [])
  return [`\\b(?:${listed.map((ecosystem) => INSTALLER_PROGRAMS[ecosystem]).join('|')})\\b`, ...attached].join('|')
}

const mentionsInstaller = installerMention(ECOSYSTEMS)

interface Installer {
  ecosystem: Ecosystem
  /** How many words name the installer. */
  length: number
  /** It runs one package; what follows the package are the package's arguments (npx, uvx). */
  runsOne?: true
  /** It installs only what its options name (`uv run --with x`), its other words are no package. */
  optionsOnly?: true
}

/** How many words start an installer at `words[index]`, and for which ecosystem. */
function installerAt(words: WordReader): Installer | undefined {
  const first = baseName(words.peek(0) as string)
  const second = words.peek(1)?.toLowerCase()
  const third = words.peek(2)?.toLowerCase()
  if (isPip(first) && second === 'install') return { ecosystem: 'PyPI', length: 2 }
  if (first === 'pipx' && second === 'install') return { ecosystem: 'PyPI', length: 2 }
  if (isPython(first) && second === '-m' && third !== undefined && isPip(third) && words.peek(3)?.toLowerCase() === 'install')
    return { ecosystem: 'PyPI', length: 4 }
  // `python3 -mpip install`, `python3 -Impip install`: -m takes the rest of its word as the module.
  if (/^-[a-z]*mpip\d?(\.\d+)?$/.test(first) && second === 'install') return { ecosystem: 'PyPI', length: 2 }
  if (first === 'uvx') return { ecosystem: 'PyPI', length: 1, runsOne: true }
  if (first === 'uv' && second === 'tool' && third === 'run') return { ecosystem: 'PyPI', length: 3, runsOne: true }
  if (first === 'uv' && second === 'run') return { ecosystem: 'PyPI', length: 2, optionsOnly: true }
  if (first === 'uv' && second === 'pip' && third === 'install') return { ecosystem: 'PyPI', length: 3 }
  if (first === 'uv' && (second === 'add' || (second === 'tool' && third === 'install'))) return { ecosystem: 'PyPI', length: second === 'add' ? 2 : 3 }
  if (first === 'npm' && second !== undefined && NPM_INSTALL.has(second)) return { ecosystem: 'npm', length: 2 }
  if (first === 'npm' && (second === 'exec' || second === 'x')) return { ecosystem: 'npm', length: 2, runsOne: true }
  if ((first === 'npx' || first === 'bunx') && second !== undefined) return { ecosystem: 'npm', length: 1, runsOne: true }
  if (first === 'yarn' && second === 'add') return { ecosystem: 'npm', length: 2 }
  if (first === 'yarn' && second === 'global' && third === 'add') return { ecosystem: 'npm', length: 3 }
  if ((first === 'pnpm' || first === 'bun') && (second === 'add' || second === 'install' || second === 'i')) return { ecosystem: 'npm', length: 2 }
  if ((first === 'pnpm' || first === 'yarn') && second === 'dlx') return { ecosystem: 'npm', length: 2, runsOne: true }
  if (first === 'go' && (second === 'install' || second === 'get' || second === 'run')) return { ecosystem: 'Go', length: 2 }
  if (first === 'gem' && second === 'install') return { ecosystem: 'RubyGems', length: 2 }
  if (first === 'cargo' && second === 'install') return { ecosystem: 'crates.io', length: 2 }
  return undefined
}

/** `name==1.2`, `name[extra]===1.2`, `name>=1` (no exact version), and uv's `name@1.2`. */
function pypiSpec(word: string): PackageInstall | undefined {
  const equals = word.indexOf('==')
  // uvx and `uv tool run` take `name@version`; to pip, `name@url` is a direct reference, no version.
  const at = equals === -1 ? word.indexOf('@') : -1
  if (at > 0 && /^v?\d[\w.+!-]*$/.test(word.slice(at + 1))) {
    const spec = pypiSpec(word.slice(0, at))
    return spec === undefined ? undefined : { ...spec, version: word.slice(at + 1) }
  }
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

/**
 * `name@1.2.3`, `@scope/name@1.2.3`, `name` (no version). A range (`^1.2`) is no exact version.
 * An alias (`x@npm:@scope/name@1.2.3`) installs the package after `npm:`; npm nests no alias in
 * another, so the aliased spec is read once, as a plain one.
 */
function npmSpec(word: string, aliased = false): PackageInstall | undefined {
  const at = word.indexOf('@', 1)
  const name = at === -1 ? word : word.slice(0, at)
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return undefined
  const version = at === -1 ? undefined : word.slice(at + 1)
  if (!aliased && version?.slice(0, 4).toLowerCase() === 'npm:') return npmSpec(version.slice(4), true)
  return { ecosystem: 'npm', name, version: version !== undefined && /^v?\d[\w.+-]*$/.test(version) ? version.replace(/^v/, '') : undefined }
}

function atSpec(ecosystem: Ecosystem, word: string): PackageInstall | undefined {
  const at = word.lastIndexOf('@')
  const name = at <= 0 ? word : word.slice(0, at)
  if (!/^[\w.~/-]+$/.test(name)) return undefined
  return { ecosystem, name, version: at <= 0 ? undefined : word.slice(at + 1) }
}

/**
 * Names waiting for a trailing `-v V` (gem, cargo). A later `-v` overrides an earlier one for every
 * name before it, so they share one version box, settled once when the group ends: each `-v`
 * costs O(1) however many names precede it (no loop over the names per flag).
 */
class VersionGroup {
  private waiting: PackageInstall[] = []
  private boxed: PackageInstall[] = []
  private version: string | undefined

  add(install: PackageInstall): void {
    this.waiting.push(install)
  }

  setVersion(version: string): void {
    this.version = version
    for (const install of this.waiting) this.boxed.push(install)
    this.waiting = []
  }

  /** Gives every name that saw a `-v` the last one it saw, and starts a new group. */
  settle(): void {
    for (const install of this.boxed) install.version = this.version
    this.waiting = []
    this.boxed = []
    this.version = undefined
  }
}

/** Options whose value names a package to install: uv's `--with` and `--from`, npm exec's and npx's `--package`. */
const PACKAGE_OPTIONS: Partial<Record<Ecosystem, readonly string[]>> = { PyPI: ['--with', '--from', '-w'], npm: ['--package', '-p'] }

/** The value of a PACKAGE_OPTIONS option (`--with x`, `--with=x`), read past; undefined when `lower` is no such option. */
function packageOption(ecosystem: Ecosystem, word: string, words: WordReader): string | undefined {
  const options = PACKAGE_OPTIONS[ecosystem]
  if (options === undefined || !word.startsWith('-')) return undefined
  const lower = word.toLowerCase()
  for (const option of options) {
    if (lower === option) {
      const value = words.peek(1)
      // A separator ends the command: it is no value, and the outer loop must see it.
      if (value === undefined || value === ';' || value === '&' || value === '|' || value === '\n') {
        words.skip(1)
        return ''
      }
      words.skip(2)
      return value
    }
    if (lower.startsWith(`${option}=`)) {
      words.skip(1)
      return word.slice(option.length + 1)
    }
  }
  return undefined
}

/** Every package that `text` installs, in order. */
export function packageInstalls(text: string): PackageInstall[] {
  // Most command lines name no installer: one search instead of a word-by-word read.
  return mentionsInstaller(text) ? readInstalls(text) : []
}

/** packageInstalls without its prefilter: the word-by-word read the prefilters are tested against. */
export function readInstalls(text: string): PackageInstall[] {
  const found: PackageInstall[] = []
  const words = new WordReader(text)
  const group = new VersionGroup()
  while (words.peek(0) !== undefined) {
    const installer = installerAt(words)
    if (installer === undefined) {
      words.skip(1)
      continue
    }
    words.skip(installer.length)
    const { ecosystem } = installer
    const versionAfterNames = ecosystem === 'RubyGems' || ecosystem === 'crates.io'
    for (let word = words.peek(0); word !== undefined; word = words.peek(0)) {
      // The separator is left for the outer loop, which steps over it.
      if (word === ';' || word === '&' || word === '|' || word === '\n') break
      const lower = word.toLowerCase()
      // uv's --with and --from, npx's --package name packages to install (comma-separated for --with).
      const packages = packageOption(ecosystem, word, words)
      if (packages !== undefined) {
        for (const spec of packages.split(',')) {
          const install = ecosystem === 'PyPI' ? pypiSpec(spec) : npmSpec(spec)
          if (install !== undefined) found.push(install)
        }
        continue
      }
      if (installer.optionsOnly && !word.startsWith('-')) {
        words.skip(1)
        continue
      }
      // gem install x -v 1.2, cargo install x --version 1.2: the version follows the names.
      // To pip, npm and go, -v is verbose: the word after it may be a package.
      if ((lower === '-v' || lower === '--version') && versionAfterNames) {
        const version = words.peek(1)
        if (version !== undefined) group.setVersion(version)
        words.skip(2)
        continue
      }
      if (lower.startsWith('--version=') && versionAfterNames) {
        group.setVersion(word.slice('--version='.length))
        words.skip(1)
        continue
      }
      if (word.startsWith('-')) {
        words.skip(VALUE_OPTIONS.has(lower) ? 2 : 1)
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
      if (install === undefined) {
        words.skip(1)
        continue
      }
      found.push(install)
      if (install.version === undefined) group.add(install)
      else group.settle()
      // npx runs one package; what follows are its arguments. The package word is read again as
      // a possible installer (`npx pnpm add x`).
      if (installer.runsOne) break
      words.skip(1)
    }
    group.settle()
  }
  return found
}
