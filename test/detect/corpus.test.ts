// Recall and false positives of jackstop's miner detection over a labelled corpus:
// test/corpus/miners.yaml (from public threat reports) and test/corpus/benign.yaml.
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { parse } from 'yaml'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { Finding } from '../../src/engine/types.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { defaultPolicies } from '../helpers/server.ts'

interface CorpusCase {
  name: string
  source?: string
  container?: Record<string, unknown>
  pod?: Record<string, unknown>
  configMap?: Record<string, string>
}

const MINER_POLICIES = new Set(['miner-images', 'miner-signals', 'miner-configmaps'])
const policySet = await defaultPolicies()

async function corpus(file: string): Promise<CorpusCase[]> {
  return parse(await readFile(new URL(`../corpus/${file}`, import.meta.url), 'utf8')) as CorpusCase[]
}

function objectOf(entry: CorpusCase): KubeObject {
  const metadata = { name: 'case', namespace: 'corpus' }
  if (entry.configMap !== undefined) return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: entry.configMap }
  const spec = entry.pod ?? { containers: [{ name: 'main', ...entry.container }] }
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec }
}

function minerFindings(entry: CorpusCase): Finding[] {
  return evaluate({ object: objectOf(entry) }, policySet).findings.filter((finding) => MINER_POLICIES.has(finding.policy))
}

const miners = await corpus('miners.yaml')
const benign = await corpus('benign.yaml')

t.test('the corpus is large enough and every miner case names its source', async (t) => {
  t.ok(miners.length >= 60, `${miners.length} miner cases`)
  t.ok(benign.length >= 150, `${benign.length} benign cases`)
  t.same(
    miners.filter((entry) => !entry.source).map((entry) => entry.name),
    [],
  )
})

t.test('recall is at least 95% and no benign case gets a miner finding', async (t) => {
  const missed = miners.filter((entry) => !minerFindings(entry).some((finding) => finding.action === 'deny')).map((entry) => entry.name)
  const falsePositives = benign
    .map((entry) => ({ name: entry.name, findings: minerFindings(entry).map((finding) => finding.message) }))
    .filter((entry) => entry.findings.length > 0)
  const recall = (miners.length - missed.length) / miners.length
  const falsePositiveRate = falsePositives.length / benign.length
  t.comment(
    `miner detection: recall ${(recall * 100).toFixed(1)}% (${miners.length - missed.length}/${miners.length} refused), false positives ${(falsePositiveRate * 100).toFixed(1)}% (${falsePositives.length}/${benign.length})`,
  )
  t.ok(recall >= 0.95, `recall ${(recall * 100).toFixed(1)}%; missed: ${missed.join(' | ')}`)
  t.same(falsePositives, [], 'no false positives')
})
