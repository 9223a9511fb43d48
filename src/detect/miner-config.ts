// Recognises an xmrig-style JSON config (the shape most CPU miners accept): a `pools` list
// whose entries have a pool `url` and a `user` (the wallet), and keys only miners use; and
// xmr-stak's pools.txt (a `pool_list` with `pool_address` and `wallet_address`). Miners read
// their configs tolerantly (xmrig accepts comments and trailing commas), so JSON5 is read too.
import JSON5 from 'json5'
import { isRecord } from '../workloads/kubernetes.ts'

const LARGEST_PARSED = 1024 * 1024

export interface MinerConfigSigns {
  /** `pools[0].url`: a pools list with a pool url and a user (the wallet). */
  pools: string | undefined
  /** Top-level keys only miners use: `donate-level`, `randomx`. */
  minerKeys: string[]
}

const MINER_KEYS = ['donate-level', 'donate-over-proxy', 'randomx', 'cpu-max-threads-hint']

/** A pool address as miners write it: `host:port`, `stratum+tcp://host:port`, `ssl://host:port`; not `postgres://db:5432/app`. */
export function isPoolAddress(url: string): boolean {
  const lower = url.toLowerCase()
  const scheme = lower.indexOf('://')
  const rest = scheme === -1 ? lower : lower.slice(scheme + 3)
  if (scheme !== -1 && !/^(?:stratum\d?\+[a-z0-9]+|tcp|ssl|tls)$/.test(lower.slice(0, scheme))) return false
  const hostPort = rest.slice(rest.lastIndexOf('@') + 1).replace(/\/$/, '')
  const colon = hostPort.lastIndexOf(':')
  return colon > 0 && /^[a-z0-9.-]+$/.test(hostPort.slice(0, colon)) && /^\d{1,5}$/.test(hostPort.slice(colon + 1))
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    // xmrig's parser accepts comments and trailing commas: a config it runs must be read here too.
    try {
      // Text that starts with `{` (pools.txt is wrapped in braces) and parses is an object.
      return JSON5.parse(text) as Record<string, unknown>
    } catch {
      return undefined
    }
  }
}

/**
 * Whether `text` can be a config at all, from its first character: `{`, the `"` of `"pool_list"`,
 * the `/*` or `//` of a comment (xmr-stak's generated pools.txt opens with one), or one `trimStart` may
 * remove (every ECMAScript white space and line end is below 33 or from U+00A0 on, the
 * byte-order mark U+FEFF too). Most texts are not configs: one character decides.
 */
export function mayBeMinerConfig(text: string): boolean {
  const first = text.charCodeAt(0)
  if (first === 47) return text.charCodeAt(1) === 42 || text.charCodeAt(1) === 47
  return first === 123 || first === 34 || first <= 32 || first >= 0xa0
}

const WHITE_SPACE = /\s*/y
const LINE_END = /[\n\r\u2028\u2029]/g

/**
 * Where `text`'s first value starts, after the white space and comments before it (xmrig and
 * xmr-stak read comments; xmr-stak's pools.txt opens with one); -1 when there is none. One pass,
 * by index: a text of many comments costs no copy per comment.
 */
function valueStart(text: string): number {
  let at = 0
  for (;;) {
    WHITE_SPACE.lastIndex = at
    WHITE_SPACE.exec(text)
    at = WHITE_SPACE.lastIndex
    if (text.startsWith('/*', at)) {
      const end = text.indexOf('*/', at + 2)
      if (end === -1) return -1
      at = end + 2
    } else if (text.startsWith('//', at)) {
      LINE_END.lastIndex = at
      if (LINE_END.exec(text) === null) return -1
      at = LINE_END.lastIndex
    } else {
      return at
    }
  }
}

/** What marks `text` as a miner config, if it is one. */
export function minerConfigSigns(text: string): MinerConfigSigns | undefined {
  return mayBeMinerConfig(text) ? readMinerConfig(text) : undefined
}

/** `minerConfigSigns` without its gate: the reference that test/detect/gates.test.ts and gate-attacks.test.ts hold the gate to. */
export function readMinerConfig(text: string): MinerConfigSigns | undefined {
  const start = valueStart(text)
  if (start === -1 || text.length - start > LARGEST_PARSED) return undefined
  const trimmed = text.slice(start)
  // xmr-stak's pools.txt is the inside of an object: `"pool_list" : [ ... ],`.
  const isPoolList = trimmed.startsWith('"pool_list"')
  if (!trimmed.startsWith('{') && !isPoolList) return undefined
  const config = parseObject(isPoolList ? `{${trimmed}}` : trimmed)
  if (config === undefined) return undefined
  const pools = Array.isArray(config.pools) ? config.pools : []
  const index = pools.findIndex(
    (pool) => isRecord(pool) && typeof pool.url === 'string' && isPoolAddress(pool.url) && (typeof pool.user === 'string' || typeof pool.wallet === 'string'),
  )
  if (index !== -1) return { pools: `pools[${index}].url`, minerKeys: MINER_KEYS.filter((key) => Object.hasOwn(config, key)) }
  const list = Array.isArray(config.pool_list) ? config.pool_list : []
  const listed = list.findIndex(
    (pool) => isRecord(pool) && typeof pool.pool_address === 'string' && isPoolAddress(pool.pool_address) && typeof pool.wallet_address === 'string',
  )
  return { pools: listed === -1 ? undefined : `pool_list[${listed}].pool_address`, minerKeys: MINER_KEYS.filter((key) => Object.hasOwn(config, key)) }
}
