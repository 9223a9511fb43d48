// The miner-signal scanner alone (compileSignalScanner over a container's texts, no policy around
// it) on each kind of review in the mixed corpus, this checkout against a baseline checkout, in one
// process and interleaved batches, CPU time (docs/performance.md, "Signal scanner"):
//   git archive REV src policies bench test/helpers | tar -x -C DIR && ln -s $PWD/node_modules DIR/node_modules
//   node bench/scanner.ts --baseline DIR [--rounds 30]
// Both scanners see the same texts; the signals each finds are compared too.
import { parseArgs } from 'node:util'
import { containerTexts } from '../src/detect/container-text.ts'
import type { ScannedText, Signal, SignalLists, SignalScanner } from '../src/detect/signals.ts'
import type { V1Container } from '../src/workloads/kubernetes.ts'
import { mixedCorpus } from './corpus.ts'

type Compile = (lists: SignalLists) => SignalScanner

async function scannerAt(root: string): Promise<SignalScanner> {
  const { compileSignalScanner } = (await import(`${root}/src/detect/signals.ts`)) as { compileSignalScanner: Compile }
  const { defaultSignalData } = (await import(`${root}/test/helpers/signal-data.ts`)) as { defaultSignalData: () => Promise<SignalLists> }
  return compileSignalScanner(await defaultSignalData())
}

const { values } = parseArgs({ options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '30' } } })
if (values.baseline === undefined) throw new Error('usage: node bench/scanner.ts --baseline DIR [--rounds N]')
const here = new URL('..', import.meta.url).pathname.replace(/\/$/, '')
const scanners: Record<string, SignalScanner> = { before: await scannerAt(values.baseline.replace(/\/$/, '')), after: await scannerAt(here) }

// Each kind of review once: its containers' texts, as the policy hands them to the scanner.
const reviews = new Map<string, ScannedText[][]>()
for (const { name, object } of mixedCorpus()) {
  const spec = object.spec as { containers: V1Container[]; initContainers?: V1Container[] }
  if (!reviews.has(name))
    reviews.set(
      name,
      [...(spec.initContainers ?? []), ...spec.containers].map((container) => containerTexts(container)),
    )
}

const lines = ['µs per review, CPU time, best of interleaved batches', `${'review'.padEnd(18)}${'before'.padStart(9)}${'after'.padStart(9)}   ratio`]
for (const [name, containers] of reviews) {
  const calls = name.startsWith('100KB') ? 30 : name.startsWith('2KB') ? 3000 : 500
  const review = (scan: SignalScanner) => {
    const found: Signal[] = []
    for (const texts of containers) scan(texts, found)
    return found
  }
  const found = Object.values(scanners).map((scan) => JSON.stringify(review(scan)))
  for (const scan of Object.values(scanners)) for (let call = 0; call < 300; call++) review(scan)
  const best: Record<string, number> = { before: Number.POSITIVE_INFINITY, after: Number.POSITIVE_INFINITY }
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [label, scan] of Object.entries(scanners)) {
      const start = process.cpuUsage()
      for (let call = 0; call < calls; call++) review(scan)
      const { user, system } = process.cpuUsage(start)
      best[label] = Math.min(best[label] as number, (user + system) / calls)
    }
  }
  const [before, after] = [best.before as number, best.after as number]
  const same = found[0] === found[1] ? '' : '  (signals differ)'
  lines.push(`${name.padEnd(18)}${before.toFixed(2).padStart(9)}${after.toFixed(2).padStart(9)}   ${(after / before).toFixed(2)}${same}`)
}
console.log(lines.join('\n'))
