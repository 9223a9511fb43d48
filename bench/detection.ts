// `npm run bench -- --only detection`: recall and false positives of miner detection on the
// adversarial corpus, by technique. Counts, not timings: the same on any machine.
import { loadPolicySet } from '../src/policy/load.ts'
import { formatDetectionTable, loadTechniques, runTechnique } from '../test/helpers/detection-corpus.ts'

export async function benchDetection(): Promise<string> {
  const policySet = await loadPolicySet(new URL('../policies/', import.meta.url).pathname)
  const results = (await loadTechniques()).map((technique) => runTechnique(technique, policySet))
  const details = results.flatMap((result) => [
    ...result.missed.map((name) => `  missed (${result.technique}): ${name}`),
    ...result.flagged.map((entry) => `  false positive (${result.technique}): ${entry.name}: ${entry.messages[0]}`),
  ])
  return [
    `Miner detection on test/corpus/techniques/ (refused = denied; false positive = any miner finding on a benign case):`,
    formatDetectionTable(results),
    ...details,
  ].join('\n')
}
