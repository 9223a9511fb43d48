// The engine's own cost per review, without transport: what policies add to a request.
import { parseArgs } from 'node:util'
import { reviewAdmission } from '../src/admission/review.ts'
import type { AdmissionRequest } from '../src/admission/types.ts'
import type { PolicySet } from '../src/engine/types.ts'
import { loadPolicySet } from '../src/policy/load.ts'
import type { CorpusEntry } from './corpus.ts'

const policySet = await loadPolicySet(new URL('../policies/', import.meta.url).pathname)

function microsecondsPerCall(run: () => void): number {
  const batches: number[] = []
  for (let warm = 0; warm < 2000; warm++) run()
  for (let batch = 0; batch < 25; batch++) {
    const start = process.hrtime.bigint()
    for (let call = 0; call < 200; call++) run()
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / 200)
  }
  batches.sort((a, b) => a - b)
  return batches[Math.floor(batches.length / 2)] as number
}

const detectionOnly = { ...policySet, policies: policySet.policies.filter((policy) => policy.id === 'miner-signals') }
// The review with no policy at all (decode, shape check, subjects): what the miner-signals column holds besides detection.
const noPolicy = { ...policySet, policies: [] }

export function benchEngine(corpus: CorpusEntry[]): string {
  const lines = ['review            JSON.parse µs  validate µs  mutate µs  miner-signals µs  no policy µs']
  for (const entry of corpus) {
    const request = (JSON.parse(entry.body) as { request: AdmissionRequest }).request
    const parse = microsecondsPerCall(() => JSON.parse(entry.body))
    const validate = microsecondsPerCall(() => reviewAdmission(request, policySet, { phase: 'validate', auditOnly: false }))
    const mutate = microsecondsPerCall(() => reviewAdmission(request, policySet, { phase: 'mutate', auditOnly: false }))
    const detect = microsecondsPerCall(() => reviewAdmission(request, detectionOnly, { phase: 'validate', auditOnly: false }))
    const floor = microsecondsPerCall(() => reviewAdmission(request, noPolicy, { phase: 'validate', auditOnly: false }))
    lines.push(
      `${entry.name.padEnd(16)}  ${parse.toFixed(1).padStart(13)}  ${validate.toFixed(1).padStart(11)}  ${mutate.toFixed(1).padStart(9)}  ${detect.toFixed(1).padStart(16)}  ${floor.toFixed(1).padStart(12)}`,
    )
  }
  return lines.join('\n')
}

/**
 * Detection cost in CPU time (docs/performance.md, "Detection cost"): interleaved rounds of
 * the review with no policy, with miner-signals alone and with every policy, medians of CPU
 * µs per review (process.cpuUsage counts this process only, not the other tenants of a shared
 * machine). `--baseline DIR` measures a second checkout in the same process and rounds
 * (`git archive REV src policies bench | tar -x -C DIR`, then link node_modules into it).
 */
async function detectionCost(roots: Record<string, string>, rounds: number): Promise<string> {
  const setups: { name: string; review: typeof reviewAdmission; sets: Record<string, PolicySet>; corpus: CorpusEntry[] }[] = []
  for (const [name, root] of Object.entries(roots)) {
    const review = ((await import(`${root}/src/admission/review.ts`)) as { reviewAdmission: typeof reviewAdmission }).reviewAdmission
    const load = ((await import(`${root}/src/policy/load.ts`)) as { loadPolicySet: typeof loadPolicySet }).loadPolicySet
    const { benchCorpus } = (await import(`${root}/bench/corpus.ts`)) as { benchCorpus: () => CorpusEntry[] }
    const all = await load(`${root}/policies/`)
    const only = (id: string) => ({ ...all, policies: all.policies.filter((policy) => policy.id === id) })
    setups.push({
      name,
      review,
      sets: { 'no policy': { ...all, policies: [] }, 'miner-signals': only('miner-signals'), 'all policies': all },
      corpus: benchCorpus(),
    })
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number
  const lines = [`CPU µs per review, medians of ${rounds} interleaved rounds`]
  for (const { name: review } of setups[0]?.corpus ?? []) {
    const calls = review.startsWith('100KB') ? 200 : 2000
    const jobs = setups.flatMap((setup) => {
      const request = (JSON.parse((setup.corpus.find((entry) => entry.name === review) as CorpusEntry).body) as { request: AdmissionRequest }).request
      return Object.entries(setup.sets).map(([set, policies]) => ({
        label: `${setup.name} ${set}`,
        run: () => setup.review(request, policies, { phase: 'validate', auditOnly: false }),
        samples: [] as number[],
      }))
    })
    for (const job of jobs) for (let call = 0; call < calls; call++) job.run()
    for (let round = 0; round < rounds; round++) {
      for (const job of jobs) {
        const start = process.cpuUsage()
        for (let call = 0; call < calls; call++) job.run()
        const { user, system } = process.cpuUsage(start)
        job.samples.push((user + system) / calls)
      }
    }
    lines.push(`${review.padEnd(10)} ${jobs.map((job) => `${job.label} ${median(job.samples).toFixed(1)}`).join('  ')}`)
  }
  return lines.join('\n')
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '15' } } })
  const here = new URL('..', import.meta.url).pathname.replace(/\/$/, '')
  const roots: Record<string, string> = values.baseline === undefined ? { current: here } : { baseline: values.baseline.replace(/\/$/, ''), current: here }
  console.log(await detectionCost(roots, Number(values.rounds)))
}
