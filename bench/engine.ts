// The engine's own cost per review, without transport: what policies add to a request.
import { reviewAdmission } from '../src/admission/review.ts'
import type { AdmissionRequest } from '../src/admission/types.ts'
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
