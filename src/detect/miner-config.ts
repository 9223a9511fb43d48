// Recognises an xmrig-style JSON config (the shape most CPU miners accept): a `pools` list
// whose entries have a pool `url` and a `user` (the wallet), or keys only miners use.
import { isRecord } from '../workloads/kubernetes.ts'

const MINER_KEYS = ['donate-level', 'donate-over-proxy', 'randomx', 'cpu-max-threads-hint']
const LARGEST_PARSED = 1024 * 1024

/** The field that marks `text` as a miner config (`pools[0].url`), or undefined. */
export function minerConfigField(text: string): string | undefined {
  const trimmed = text.trimStart()
  if (!trimmed.startsWith('{') || trimmed.length > LARGEST_PARSED) return undefined
  let config: unknown
  try {
    config = JSON.parse(trimmed)
  } catch {
    return undefined
  }
  if (!isRecord(config)) return undefined
  if (Array.isArray(config.pools)) {
    const index = config.pools.findIndex(
      (pool) => isRecord(pool) && typeof pool.url === 'string' && (typeof pool.user === 'string' || typeof pool.wallet === 'string'),
    )
    if (index !== -1) return `pools[${index}].url`
  }
  return MINER_KEYS.find((key) => Object.hasOwn(config, key))
}
