// Recognises an xmrig-style JSON config (the shape most CPU miners accept): a `pools` list
// whose entries have a pool `url` and a `user` (the wallet), and keys only miners use.
import { isRecord } from '../workloads/kubernetes.ts'

const LARGEST_PARSED = 1024 * 1024

export interface MinerConfigSigns {
  /** `pools[0].url`: a pools list with a pool url and a user (the wallet). */
  pools: string | undefined
  /** Top-level keys only miners use: `donate-level`, `randomx`. */
  minerKeys: string[]
}

const MINER_KEYS = ['donate-level', 'donate-over-proxy', 'randomx', 'cpu-max-threads-hint']

/** What marks `text` as an xmrig-style JSON config, if it is one. */
export function minerConfigSigns(text: string): MinerConfigSigns | undefined {
  const trimmed = text.trimStart()
  if (!trimmed.startsWith('{') || trimmed.length > LARGEST_PARSED) return undefined
  let config: Record<string, unknown>
  try {
    // Text that starts with `{` and parses is an object.
    config = JSON.parse(trimmed) as Record<string, unknown>
  } catch {
    return undefined
  }
  const pools = Array.isArray(config.pools) ? config.pools : []
  const index = pools.findIndex((pool) => isRecord(pool) && typeof pool.url === 'string' && (typeof pool.user === 'string' || typeof pool.wallet === 'string'))
  return { pools: index === -1 ? undefined : `pools[${index}].url`, minerKeys: MINER_KEYS.filter((key) => Object.hasOwn(config, key)) }
}
