// The miner-signals scanner's lists as the shipped policy builds them: tuning from
// policies/data/miner-signals.yaml, programs and pools from policies/data/intel/.
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { type MinerSignalsData, signalLists } from '../../policies/miner-signals.ts'
import type { Scoring, SignalLists } from '../../src/detect/signals.ts'
import { loadIntel } from '../../src/intel/load.ts'

export async function defaultSignalData(): Promise<SignalLists & Scoring> {
  const tuning = parse(await readFile(new URL('../../policies/data/miner-signals.yaml', import.meta.url), 'utf8')) as MinerSignalsData
  return { ...tuning, ...signalLists(tuning, await loadIntel(new URL('../../policies/data/intel/', import.meta.url).pathname)) }
}
