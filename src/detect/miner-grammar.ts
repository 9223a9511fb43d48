// Recognises a miner by its command-line grammar, whatever the binary is called: xmrig,
// xmr-stak, cpuminer, lolMiner, SRBMiner, T-Rex, GMiner, BzMiner, Rigel, nanominer and hellminer
// all take a pool endpoint (`-o host:port`, `--url`, `--pool`, `--server host --port n`), an account
// (`-u`, `--user`, `--wallet`) and flags no other program takes (`-k`, `--tls`, `--donate-level`,
// `--nicehash`, `-p x` ...). Those three together are a miner command line; a pool and an account
// alone are not (`--url db:5432 --user app`). Which miner spells what: docs/detection.md.
// One forward pass over words; no regular expression runs over the whole text.

export interface GrammarLists {
  /** Values of -a/--algo/--algorithm that name a mining algorithm (rx/0, kawpow ...), and of --coin that name a coin. */
  algorithms: readonly string[]
  /** Algorithms other software names too (scrypt): they complete a command with a port, never one without. */
  sharedAlgorithms?: readonly string[]
}

// Options whose next word (or `=value`) is what they set. `--ur` is `--url` to xmrig's getopt_long,
// which takes any unambiguous abbreviation of a long option (no other of its options starts with `ur`).
const ENDPOINT = new Set(['-o', '--url', '--ur', '--pool', '-P', '--dualpool'])
// GMiner's pool (`--server host` with `--port n`, or `--server host:port`); kubectl takes `--server`/`-s` and `--user` too.
const SERVER = new Set(['--server', '-s'])
const PORT = new Set(['--port', '-n'])
const ACCOUNT = new Set(['-u', '--user', '--wallet', '-w', '-O', '--userpass', '--coinbase-addr', '--dualuser'])
// `-p` is lolMiner's and BzMiner's pool when its value is an endpoint, everyone else's password.
const PASSWORD = new Set(['-p', '--pass', '--password'])
const SELECTOR = new Set(['-a', '--algo', '--algorithm'])
const COIN = new Set(['--coin', '--currency'])
// cpuminer's getwork grammar talks HTTP to a node: `-o http://host:port` with these.
// (Its `-O user:pass` is read apart: wget, curl, gcc and Python take `-O` too.)
const CPUMINER_ONLY = new Set(['--userpass', '--no-longpoll', '--no-getwork', '--no-gbt', '--no-stratum', '--scantime', '--coinbase-addr'])
// GMiner's options that take a value and that other programs do not take (its --proto counts only as
// `--proto stratum` or `--proto proxy`, in the reader).
const GMINER_ONLY = ['--templimit', '--cache_dag', '--share_check', '--dag_mode', '--dag_limit', '--electricity_cost', '--ssl_verification', '--pers']
// Flags of xmrig, xmr-stak, lolMiner, SRBMiner, T-Rex and hellminer that other programs do not take together with a pool and an account.
const MINER_ONLY = new Set([
  '-k',
  '--keepalive',
  '--tls',
  '--tls-fingerprint',
  '--nicehash',
  '--donate-level',
  '--donate-over-proxy',
  '--rig-id',
  '--cpu-priority',
  '--cpu-max-threads-hint',
  '--cpu-affinity',
  '--max-cpu-usage',
  '--cpu-no-yield',
  '--huge-pages-jit',
  '--print-time',
  '--health-print-time',
  '--api-worker-id',
  '--noTest',
  '--noAMD',
  '--noNVIDIA',
  '--noCPU',
  '--ethstratum',
  '--dualmode',
  '--watchdog',
  '--apiport',
  '--disable-gpu',
  '--disable-cpu',
  '--cpu-threads',
  '--give-up-limit',
  '--retry-time',
  '-B',
  '--background',
  ...GMINER_ONLY,
  // nanominer's -rigName (its other single-dash options are read as long ones: NANOMINER)
  '-rigName',
  ...CPUMINER_ONLY,
])
// Flags curl, wget, kubectl, sslh and Chromium take too (`curl -k -o file -u user`, `kubectl apply -k`,
// `sslh --tls host:port`, `--disable-gpu`): they complete an endpoint with its port, but not a host
// without one nor an endpoint spelt as those programs also spell theirs (GMiner's server, `-p`, `-P`).
const SHARED_FLAGS = new Set(['-k', '--keepalive', '--tls', '-B', '--background', '--disable-gpu'])
// nanominer's command line (cmdline_launcher): single-dash long options, `-pool1` … `-poolN` for its pools.
const NANOMINER: ReadonlyMap<string, string> = new Map([
  ['-algo', '--algo'],
  ['-wallet', '--wallet'],
  ['-coin', '--coin'],
])
const NANOMINER_POOL = /^-pool\d{1,2}$/

/** The long option a nanominer single-dash option stands for (`-pool2` is `--pool`), if it is one. */
function nanominerOption(name: string): string | undefined {
  if (name === '-rigName') return name
  return NANOMINER.get(name) ?? (name.startsWith('-pool') && NANOMINER_POOL.test(name) ? '--pool' : undefined)
}
const VALUE_OPTIONS = new Set([
  ...ENDPOINT,
  ...SERVER,
  ...PORT,
  '--proto',
  ...GMINER_ONLY,
  '-rigName',
  ...ACCOUNT,
  ...PASSWORD,
  ...SELECTOR,
  ...COIN,
  '--tls-fingerprint',
  '--rig-id',
  '--donate-level',
  '--cpu-priority',
  '--cpu-max-threads-hint',
  '--max-cpu-usage',
  '--ethstratum',
  '--dualmode',
  '--cpu-threads',
  '--keepalive',
  '--apiport',
  '--scantime',
  '--coinbase-addr',
])

// Single-letter options that take no value: getopt reads `-kBo host:port` as `-k -B -o host:port`
// (xmrig's short options: `a:c:kBp:Px:r:R:s:t:T:o:u:O:v:l:S`).
const CLUSTERED_FLAGS = new Set(['-k', '-B', '-S'])

type Endpoint = 'stratum' | 'host' | 'http'
/** What the endpoint option names: an endpoint, or a host without its port (xmrig's default is 3333). */
type EndpointValue = Endpoint | 'port-less'
/**
 * What an endpoint needs beside an account to make a miner command line: nothing (a stratum URL),
 * any miner flag (a host with its port), a cpuminer flag (`http://`), a coin or a flag only miners
 * take (`shared`: a host:port after `-p` or `-P`, as sslh and curl spell theirs), a flag only miners
 * take (`server`: kubectl's and exchange clients' `--server`; `port-less`). Each class keeps its
 * first endpoint: a later, weaker one (`--url http://decoy:80`) never hides a pool, as every -o is a
 * pool of the miner's list.
 */
type EndpointClass = 'stratum' | 'host' | 'http' | 'shared' | 'server' | 'port-less'
/** The classes a host:port or an `http://` URL falls into when a client spells its endpoint the same way. */
type ClientSpelling = 'shared' | 'server'
interface EndpointQuote {
  option: string
  value: string
}
/** How telling a flag is: a client takes it too (0), a coin (1), only miners take it (2). */
const CLIENT = 0
const COIN_NAMED = 1
const MINER = 2

/**
 * A host name with a dot and no port, fully qualified (`pool.example.net.`) or not: xmrig connects to it on its
 * default port (3333); curl's `-o file.tgz` looks the same. Or with a port and text after it (`pool:3333/`):
 * xmrig's `Url::parse` reads the port with strtol, which stops at the text; a client's `db:5432/app` looks the same.
 */
const PORT_LESS_HOST = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+\.?(?::\d{1,5}[^\d:].*)?$/i
/** A name without a dot and its port (`localhost:3333`, a Service name): a proxy beside the miner, or any in-cluster client's `db:5432`. */
const DOTLESS_HOST_PORT = /^[a-z][a-z0-9-]*:\d{1,5}$/i

/** A host the grammar reads only beside a flag only miners take: no port, text after the port, or no dot. */
const isUntrustedHost = (value: string) => PORT_LESS_HOST.test(value) || DOTLESS_HOST_PORT.test(value)

/** Rigel numbers the pool and the account of each algorithm it mines at once: `-o [1]stratum+tcp://…`. */
function withoutIndex(value: string): string {
  if (value.charCodeAt(0) !== 91) return value
  const close = value.indexOf(']')
  return close > 1 && /^\[\d{1,2}\]/.test(value) ? value.slice(close + 1) : value
}

/**
 * What an endpoint option's value is: a stratum URL (BzMiner's `ethstratum+tcp://` too, and xmrig's
 * `daemon+http(s)://`, solo mining to a node), a bare `host:port`, an `http://host:port` without a path.
 */
export function endpointKind(value: string): Endpoint | undefined {
  const lower = withoutIndex(value).toLowerCase()
  if (/^(?:(?:eth)?stratum\d?\+[a-z0-9]+|daemon\+https?):\/\//.test(lower)) return 'stratum'
  let rest = lower
  let kind: Endpoint = 'host'
  const scheme = rest.indexOf('://')
  if (scheme !== -1) {
    const name = rest.slice(0, scheme)
    if (name === 'http') kind = 'http'
    else if (name !== 'tcp' && name !== 'ssl' && name !== 'tls') return undefined
    rest = rest.slice(scheme + 3)
    if (rest.endsWith('/')) rest = rest.slice(0, -1)
  }
  const at = rest.lastIndexOf('@')
  if (at !== -1) rest = rest.slice(at + 1)
  const colon = rest.lastIndexOf(':')
  if (colon <= 0) return undefined
  const host = rest.slice(0, colon)
  const port = rest.slice(colon + 1)
  if (!/^\d{1,5}$/.test(port)) return undefined
  // A name or IPv4 literal with a dot, or an IPv6 literal in brackets (`[2001:db8::5]:3333`, as xmrig's Url reads it).
  if ((/^[a-z0-9.-]+$/.test(host) && host.includes('.')) || (/^\[[0-9a-f:.]+\]$/.test(host) && host.includes(':'))) return kind
  return undefined
}

interface CommandState {
  /** The first endpoint of each class in the command. */
  endpoints: Partial<Record<EndpointClass, EndpointQuote>>
  /** GMiner's `--server` value and `--port` value, until both are there. */
  server: { option: string; value: string } | undefined
  port: { option: string; value: string } | undefined
  account: string | undefined
  flags: string[]
  /** The most telling flag so far (CLIENT, COIN_NAMED, MINER), -1 for none. */
  strongest: number
  cpuminer: boolean
}

const fresh = (): CommandState => ({ endpoints: {}, server: undefined, port: undefined, account: undefined, flags: [], strongest: -1, cpuminer: false })

/** The endpoint that makes the command a miner command line, if one does. */
function minerEndpoint(state: CommandState): EndpointQuote | undefined {
  const { endpoints, strongest } = state
  if (state.account === undefined) return undefined
  if (endpoints.stratum !== undefined) return endpoints.stratum
  if (endpoints.host !== undefined && strongest >= CLIENT) return endpoints.host
  if (endpoints.http !== undefined && state.cpuminer) return endpoints.http
  if (endpoints.shared !== undefined && strongest >= COIN_NAMED) return endpoints.shared
  return strongest >= MINER ? (endpoints.server ?? endpoints['port-less']) : undefined
}

function quoteOf(state: CommandState, endpoint: EndpointQuote): string {
  return [`${endpoint.option} ${endpoint.value}`, `${state.account} …`, ...state.flags.slice(0, 3)].join(' ')
}

// Word ends: white space, quotes and the separators `;`, `|`, `&`, newline, as a table by
// character code (1: ends a word, 2: also ends the command); no code from 128 on ends a word.
const WORD_END = 1
const SEPARATOR = 2
const ENDS = new Uint8Array(128)
for (const code of [32, 9, 11, 12, 13, 39, 34, 96]) ENDS[code] = WORD_END
for (const code of [10, 59, 124, 38]) ENDS[code] = SEPARATOR
/**
 * Every spelling of an endpoint option the grammar reads: `-o`, `-P`, `-p` (lolMiner's pool) and `-s`
 * (GMiner's server) alone, before `=`, with the value attached (`-opool:3333`) or after clustered
 * flags (`-kBo`), and the long names: `--ur` starts `--url`, `-p` is in `--pool` and nanominer's
 * `-pool1`, `-s` in `--server`; `--dualpool` has none of them. One search, not one per name;
 * test/detect/gate-attacks.test.ts holds it to ENDPOINT, SERVER and the nanominer names.
 */
const ENDPOINT_NAME = /-[kBS]*[oPps]|--ur|--dualpool/
/** `>` or `<`: a `&` right after one duplicates a descriptor (`2>&1`, `<&3`) and ends no command. */
const isRedirection = (code: number) => code === 62 || code === 60
/** Word ends that are not separators: the endpoint and the account are two words of one command. */
const WORD_BREAK = /[ \t\v\f\r'"`]/

/**
 * Whether `text` can hold a miner command line or a pool connection at all; false for most
 * texts (env values) at the cost of two searches. Sound by construction: the grammar needs an
 * endpoint spelt by an endpoint option (`-o`, `--url`, `--server` ...; a `:` is no longer needed, since
 * GMiner's port is an option of its own and xmrig's default port is none), and an account in another
 * word of the same command (so a word end that is not a separator).
 */
export function mayBeMinerCommandLine(text: string): boolean {
  // The word-end search first: most env values are one word, and it turns them away soonest.
  return WORD_BREAK.test(text) && ENDPOINT_NAME.test(text)
}

/**
 * Calls `report` with a short quote for every miner command line in `text`; returns whether any
 * command in it names a pool endpoint and an account (such a command is never read as data).
 */
export function compileGrammar(lists: GrammarLists): (text: string, report: (quote: string) => void) => boolean {
  const read = compileUngatedGrammar(lists)
  return (text, report) => mayBeMinerCommandLine(text) && read(text, report)
}

/**
 * Whether a command in `text` names a pool endpoint, with or without its port, and an account.
 * Never a report (`curl -o file.tgz -u user` reads the same), only what the data context asks: such
 * a line is never text about miners. Ungated: it runs only on the few lines a mention is in.
 */
export function namesPoolAndAccount(text: string): boolean {
  return readPortLess(text, ignore)
}
const ignore = () => {}

/**
 * The grammar without its gate: the reference that test/detect/gates.test.ts holds the gate to.
 * `portLessConnects`: a host without its port and an account count as a connection (the data context's question).
 */
export function compileUngatedGrammar(lists: GrammarLists, portLessConnects = false): (text: string, report: (quote: string) => void) => boolean {
  const shared = new Set((lists.sharedAlgorithms ?? []).map((name) => name.toLowerCase()))
  const algorithms = new Set([...lists.algorithms.map((name) => name.toLowerCase()), ...shared])
  return (text, report) => {
    let state = fresh()
    let reported = false
    let connects = false
    let pending: string | undefined
    const finish = () => {
      // A miner command is reported by the option that completes it; only the connection is left to note.
      const { endpoints } = state
      if (
        state.account !== undefined &&
        (endpoints.stratum ??
          endpoints.host ??
          endpoints.http ??
          endpoints.shared ??
          endpoints.server ??
          (portLessConnects ? endpoints['port-less'] : undefined)) !== undefined
      ) {
        connects = true
      }
      state = fresh()
      reported = false
      pending = undefined
    }
    /** `spelling`: the class of a host:port or `http://` value spelt as a client spells its own endpoint. */
    const setEndpoint = (kind: EndpointValue, option: string, value: string, spelling?: ClientSpelling) => {
      const group: EndpointClass = spelling !== undefined && (kind === 'host' || kind === 'http') ? spelling : kind
      state.endpoints[group] ??= { option, value }
    }
    /** GMiner's server and port, in either order: an endpoint once both are there. */
    const joinServer = () => {
      const { server, port } = state
      if (server === undefined || port === undefined) return
      const kind = endpointKind(`${server.value}:${port.value}`)
      if (kind !== undefined) setEndpoint(kind, `${server.option} ${server.value} ${port.option}`, port.value, 'server')
    }
    const flag = (quote: string, strength: number) => {
      state.flags.push(quote)
      if (strength > state.strongest) state.strongest = strength
    }
    const option = (name: string, value: string | undefined) => {
      if (name === '-O') {
        // cpuminer's `-O user:pass`; wget's `-O file`, gcc's `-O2`, Python's and hashcat's `-O` are no account.
        if (value === undefined || !value.includes(':')) return
        state.account ??= name
        state.cpuminer = true
        flag(name, CLIENT)
      } else if (ENDPOINT.has(name) && value !== undefined) {
        const kind: EndpointValue | undefined = endpointKind(value) ?? (isUntrustedHost(withoutIndex(value)) ? 'port-less' : undefined)
        // curl's `-P` (its FTP active-mode address) takes a bare host:port too; ethminer's takes a URL.
        if (kind !== undefined) setEndpoint(kind, name, value, name === '-P' ? 'shared' : undefined)
      } else if (SERVER.has(name) && value !== undefined) {
        const kind = endpointKind(value)
        if (kind !== undefined) setEndpoint(kind, name, value, 'server')
        else state.server = { option: name, value }
        joinServer()
      } else if (PORT.has(name) && value !== undefined) {
        if (/^\d{1,5}$/.test(value)) state.port = { option: name, value }
        joinServer()
      } else if (ACCOUNT.has(name) && value !== undefined) {
        state.account ??= name
      } else if (PASSWORD.has(name)) {
        const kind = name === '-p' && value !== undefined ? endpointKind(value) : undefined
        // sslh listens on `-p addr:port` and proxytunnel's proxy is `-p host:port`: a stratum URL is lolMiner's or BzMiner's.
        if (kind !== undefined) setEndpoint(kind, name, value as string, 'shared')
        // `-p x`: the throw-away pool password every miner how-to uses.
        else if (value === 'x' || value === 'X') flag(`${name} x`, CLIENT)
      } else if (SELECTOR.has(name) && value !== undefined) {
        const algorithm = value.toLowerCase()
        if (algorithms.has(algorithm)) flag(`${name} ${value}`, shared.has(algorithm) ? CLIENT : MINER)
      } else if (COIN.has(name) && value !== undefined) {
        // A price tracker takes `--coin monero` too: a coin completes a pool with its port or after `-p`/`-P`, not a port-less host nor a `--server`.
        flag(`${name} ${value}`, COIN_NAMED)
      } else if (name === '--proto' && (value === 'stratum' || value === 'proxy')) {
        flag(`${name} ${value}`, MINER)
      }
      if (MINER_ONLY.has(name)) flag(name, SHARED_FLAGS.has(name) ? CLIENT : MINER)
      else if (name.startsWith('--randomx-') && name.length > 10) flag(name, MINER)
      if (CPUMINER_ONLY.has(name)) state.cpuminer = true
      if (!reported) {
        const endpoint = minerEndpoint(state)
        if (endpoint !== undefined) {
          report(quoteOf(state, endpoint))
          reported = true
        }
      }
    }
    /** `-kBopool:3333`: flags that take no value, then one that takes the rest of the word (or the next word). */
    const cluster = (value: string) => {
      for (let index = 1; index < value.length; index++) {
        const name = `-${value[index]}`
        if (VALUE_OPTIONS.has(name)) {
          if (index + 1 < value.length) option(name, value.slice(index + 1))
          else pending = name
          return
        }
        // Any other letter is no miner's flag: the word is some other program's option (`-Duser.home=/x`).
        if (!CLUSTERED_FLAGS.has(name)) return
        option(name, undefined)
      }
    }
    const word = (value: string) => {
      if (pending !== undefined) {
        const name = pending
        pending = undefined
        if (!value.startsWith('-') || /^-\d/.test(value)) {
          option(name, value)
          return
        }
        option(name, undefined)
      }
      if (!value.startsWith('-') || value.length < 2) return
      const equals = value.indexOf('=')
      const singleDash = value.length > 2 && value.charCodeAt(1) !== 45
      const nanominer = singleDash ? nanominerOption(equals === -1 ? value : value.slice(0, equals)) : undefined
      if (nanominer !== undefined) {
        if (equals === -1) pending = nanominer
        else option(nanominer, value.slice(equals + 1))
      }
      // `-opool:3333`, `-kBo`: single letters after one dash are read as getopt reads them.
      else if (singleDash && equals !== 2) cluster(value)
      // `--url="pool:3333"` in a script: the quote ends the word after `=`, and the value is the next word.
      else if (equals === value.length - 1 && VALUE_OPTIONS.has(value.slice(0, equals))) pending = value.slice(0, equals)
      else if (equals !== -1) option(value.slice(0, equals), value.slice(equals + 1))
      else if (VALUE_OPTIONS.has(value)) pending = value
      else option(value, undefined)
    }
    let start = -1
    for (let index = 0; index <= text.length; index++) {
      const code = index === text.length ? -1 : text.charCodeAt(index)
      let ends = code === -1 ? SEPARATOR : code < 128 ? (ENDS[code] as number) : 0
      // `2>&1`, `>&2`, `&>log` redirect inside the command: that `&` is part of a word, not a separator.
      if (code === 38 && (isRedirection(text.charCodeAt(index - 1)) || text.charCodeAt(index + 1) === 62)) ends = 0
      if (ends === 0) {
        if (start === -1) start = index
        continue
      }
      if (start !== -1) {
        word(text.slice(start, index))
        start = -1
      }
      if (ends === SEPARATOR && code !== -1) finish()
    }
    if (pending !== undefined) option(pending, undefined)
    finish()
    return connects
  }
}

const readPortLess = compileUngatedGrammar({ algorithms: [] }, true)

/** Env names miner images read their options from (metal3d/xmrig: POOL_URL, POOL_USER, DONATE_LEVEL). */
const ENV_OPTIONS: Readonly<Record<string, string>> = {
  POOL_URL: '--url',
  POOL: '--url',
  POOL_ADDRESS: '--url',
  MINING_POOL: '--url',
  POOL_USER: '--user',
  WALLET: '--user',
  WALLET_ADDRESS: '--user',
  POOL_WALLET: '--user',
  POOL_PASS: '--pass',
  DONATE_LEVEL: '--donate-level',
  ALGO: '--algo',
  MINING_ALGO: '--algo',
  COIN: '--coin',
}

const ENV_OPTION_NAMES = new Map(Object.entries(ENV_OPTIONS))
// Names are matched in any case (a miner's entrypoint may read `pool_url`), so both cases of each
// first letter; a table indexed by character code (every first letter is ASCII).
const ENV_OPTION_STARTS = new Uint8Array(128)
for (const name of Object.keys(ENV_OPTIONS)) {
  ENV_OPTION_STARTS[name.charCodeAt(0)] = 1
  ENV_OPTION_STARTS[name.toLowerCase().charCodeAt(0)] = 1
}

/** The options a container's env spells by name, as one command line for the grammar (`--url=... --user=...`). */
export function envCommandLine(env: readonly { name?: unknown; value?: unknown }[] | undefined): string {
  let line = ''
  for (const entry of env ?? []) {
    const name = entry?.name
    // Most names start with a letter no option name starts with: one character code decides.
    if (typeof name !== 'string' || ENV_OPTION_STARTS[name.charCodeAt(0)] !== 1) continue
    const option = ENV_OPTION_NAMES.get(name.toUpperCase())
    if (option !== undefined && typeof entry.value === 'string' && !/\s/.test(entry.value)) line += `${option}=${entry.value} `
  }
  return line
}
