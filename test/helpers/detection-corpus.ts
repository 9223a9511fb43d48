// jackstop's adversarial detection corpus (test/corpus/techniques/): miner and benign cases
// grouped by technique, each with its source or reason. Shared by the test that asserts recall
// and false positives and by `npm run bench -- --only detection`, which prints them.
import { readdir, readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { Finding, PolicySet } from '../../src/engine/types.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

export interface CorpusCase {
  name: string
  source?: string
  reason?: string
  /** One container of a Pod. */
  container?: Record<string, unknown>
  /** The data of a ConfigMap. */
  configMap?: Record<string, string>
  /** A whole object. */
  object?: KubeObject
  /** Objects reviewed together, as `jackstop check` reads a file with several documents. */
  objects?: KubeObject[]
}

export interface Technique {
  technique: string
  description: string
  miners: CorpusCase[]
  benign: CorpusCase[]
}

const DIRECTORY = new URL('../corpus/techniques/', import.meta.url)
export const MINER_POLICIES: ReadonlySet<string> = new Set(['miner-images', 'miner-signals', 'miner-configmaps', 'malicious-packages'])

export async function loadTechniques(): Promise<Technique[]> {
  const files = (await readdir(DIRECTORY)).filter((file) => file.endsWith('.yaml')).sort()
  return Promise.all(files.map(async (file) => parse(await readFile(new URL(file, DIRECTORY), 'utf8')) as Technique))
}

export function objectsOf(entry: CorpusCase): KubeObject[] {
  const metadata = { name: 'case', namespace: 'corpus' }
  if (entry.objects !== undefined) return entry.objects
  if (entry.object !== undefined) return [entry.object]
  if (entry.configMap !== undefined) return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata, data: entry.configMap }]
  return [{ apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'main', ...entry.container }] } }]
}

/** The miner findings on every object of a case, each object reviewed with the others beside it. */
export function minerFindings(entry: CorpusCase, policySet: PolicySet): Finding[] {
  const objects = objectsOf(entry)
  return objects.flatMap((object) =>
    evaluate({ object, related: objects.filter((other) => other !== object) }, policySet).findings.filter((finding) => MINER_POLICIES.has(finding.policy)),
  )
}

export interface TechniqueResult {
  technique: string
  miners: number
  refused: number
  benign: number
  falsePositives: number
  missed: string[]
  flagged: { name: string; messages: string[] }[]
}

/** A miner counts when refused; a benign case counts against us when it gets any miner finding, a warning included. */
export function runTechnique(technique: Technique, policySet: PolicySet): TechniqueResult {
  const missed = technique.miners.filter((entry) => !minerFindings(entry, policySet).some((finding) => finding.action === 'deny')).map((entry) => entry.name)
  const flagged = technique.benign
    .map((entry) => ({ name: entry.name, messages: minerFindings(entry, policySet).map((finding) => finding.message) }))
    .filter((entry) => entry.messages.length > 0)
  return {
    technique: technique.technique,
    miners: technique.miners.length,
    refused: technique.miners.length - missed.length,
    benign: technique.benign.length,
    falsePositives: flagged.length,
    missed,
    flagged,
  }
}

export function formatDetectionTable(results: readonly TechniqueResult[]): string {
  const rows = results.map((result) => [
    result.technique,
    `${result.refused}/${result.miners}`,
    `${((result.refused / result.miners) * 100).toFixed(1)}%`,
    `${result.falsePositives}/${result.benign}`,
  ])
  const sum = (pick: (result: TechniqueResult) => number) => results.reduce((total, result) => total + pick(result), 0)
  const [refused, miners, falsePositives, benign] = [sum((r) => r.refused), sum((r) => r.miners), sum((r) => r.falsePositives), sum((r) => r.benign)]
  rows.push(['all', `${refused}/${miners}`, `${((refused / miners) * 100).toFixed(1)}%`, `${falsePositives}/${benign}`])
  const header = ['technique', 'refused', 'recall', 'false positives']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)))
  return [header, ...rows]
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  '))
    .join('\n')
}
