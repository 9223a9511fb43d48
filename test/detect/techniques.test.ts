// Recall and false positives of miner detection on jackstop's adversarial corpus, by technique
// (issue 13): every miner case refused but a few, no benign case flagged, not even warned.
import t from 'tap'
import { formatDetectionTable, loadTechniques, runTechnique } from '../helpers/detection-corpus.ts'
import { defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()
const techniques = await loadTechniques()

t.test('the corpus holds at least 150 miner and 150 benign cases, each with a source or a reason', async (t) => {
  const all = techniques.flatMap((technique) => [...technique.miners, ...technique.benign])
  t.ok(techniques.reduce((sum, technique) => sum + technique.miners.length, 0) >= 150)
  t.ok(techniques.reduce((sum, technique) => sum + technique.benign.length, 0) >= 150)
  t.same(
    all.filter((entry) => !entry.source && !entry.reason).map((entry) => entry.name),
    [],
  )
})

t.test('recall is at least 95% and no benign case gets a miner finding', async (t) => {
  const results = techniques.map((technique) => runTechnique(technique, policySet))
  t.comment(`\n${formatDetectionTable(results)}`)
  const miners = results.reduce((sum, result) => sum + result.miners, 0)
  const refused = results.reduce((sum, result) => sum + result.refused, 0)
  t.ok(
    refused / miners >= 0.95,
    `recall ${((refused / miners) * 100).toFixed(1)}%; missed: ${results.flatMap((result) => result.missed.map((name) => `${result.technique}: ${name}`)).join(' | ')}`,
  )
  t.same(
    results.flatMap((result) => result.flagged.map((entry) => ({ technique: result.technique, ...entry }))),
    [],
    'no false positives',
  )
})
