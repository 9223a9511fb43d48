// What each policy costs over the mixed corpus, in this process (no transport): the fastest of
// 20 batches per review kind, so other tenants of the machine disturb it little. Shows which
// policy and which kind of object the request path's CPU goes to (issue 10, item 7).
import { reviewAdmission } from '../src/admission/review.ts'
import type { AdmissionRequest } from '../src/admission/types.ts'
import type { PolicySet } from '../src/engine/types.ts'
import { loadPolicySet } from '../src/policy/load.ts'
import { mixedCorpus } from './corpus.ts'

type Phase = 'validate' | 'mutate'

/** A row: each kind of review's cost (its first request's) and the corpus mean (what a server pays on average). */
function formatRow(label: string, width: number, kinds: readonly string[], byKind: ReadonlyMap<string, number>, mean: number): string {
  const cells = kinds.map((kind) => (byKind.get(kind) as number).toFixed(1).padStart(kind.length + 2))
  return `${label.padEnd(width)}${cells.join('')}${mean.toFixed(1).padStart(8)}`
}

/** Adds one measured request to a row's tallies. */
function tally(row: { byKind: Map<string, number>; total: number }, name: string, micros: number): void {
  row.total += micros
  if (!row.byKind.has(name)) row.byKind.set(name, micros)
}

/** One row of one checkout: the cost of each kind of review in the corpus and the corpus mean. */
function row(label: string, requests: CorpusRequest[], set: PolicySet, phase: Phase, kinds: string[]): string {
  const measured = { byKind: new Map<string, number>(), total: 0 }
  for (const { name, request } of requests)
    tally(measured, name, fastestTakingTurns(request, [(given) => reviewAdmission(given, set, { phase, auditOnly: false })], 20)[0] as number)
  return formatRow(label, 34, kinds, measured.byKind, measured.total / requests.length)
}

interface CorpusRequest {
  name: string
  request: AdmissionRequest
}

function corpusRequests(): CorpusRequest[] {
  return mixedCorpus().map((entry) => ({ name: entry.name, request: (JSON.parse(entry.body) as { request: AdmissionRequest }).request }))
}

type Review = (request: AdmissionRequest) => unknown

/**
 * The fastest batch of each review of one request. With two (both checkouts' reviews) their
 * batches take turns, so a busy spell on the shared machine slows both alike.
 */
function fastestTakingTurns(request: AdmissionRequest, reviews: readonly Review[], batches = 30): number[] {
  for (const review of reviews) for (let call = 0; call < 200; call++) review(request)
  const fastest = reviews.map(() => Number.POSITIVE_INFINITY)
  for (let batch = 0; batch < batches; batch++) {
    reviews.forEach((review, index) => {
      const start = process.hrtime.bigint()
      for (let call = 0; call < 20; call++) review(request)
      fastest[index] = Math.min(fastest[index] as number, Number(process.hrtime.bigint() - start) / 1000 / 20)
    })
  }
  return fastest
}

/**
 * `--only policies --baseline DIR`: the all-policies rows of this checkout and of DIR's, measured
 * in turns in one process (before/after under the same noise).
 */
export async function benchPolicyCostAgainst(baseline: string): Promise<string> {
  const root = baseline.replace(/\/$/, '')
  const { reviewAdmission: baselineReview } = (await import(`${root}/src/admission/review.ts`)) as { reviewAdmission: typeof reviewAdmission }
  const { loadPolicySet: baselineLoad } = (await import(`${root}/src/policy/load.ts`)) as { loadPolicySet: typeof loadPolicySet }
  const sets = [await baselineLoad(`${root}/policies/`), await loadPolicySet(new URL('../policies/', import.meta.url).pathname)] as const
  const requests = corpusRequests()
  const kinds = [...new Set(requests.map(({ name }) => name))]
  const lines = [`${'µs per review (fastest batch)'.padEnd(40)}${kinds.map((kind) => `  ${kind}`).join('')}    mean`]
  for (const phase of ['validate', 'mutate'] as const) {
    const checkouts = [
      { label: 'baseline', review: (request: AdmissionRequest) => baselineReview(request, sets[0], { phase, auditOnly: false }) },
      { label: 'this checkout', review: (request: AdmissionRequest) => reviewAdmission(request, sets[1], { phase, auditOnly: false }) },
    ].map((checkout) => ({ ...checkout, byKind: new Map<string, number>(), total: 0 }))
    for (const { name, request } of requests) {
      const fastest = fastestTakingTurns(
        request,
        checkouts.map((checkout) => checkout.review),
      )
      checkouts.forEach((checkout, index) => {
        tally(checkout, name, fastest[index] as number)
      })
    }
    for (const { label, byKind, total } of checkouts) lines.push(formatRow(`${phase}, all policies, ${label}`, 40, kinds, byKind, total / requests.length))
  }
  return lines.join('\n')
}

export async function benchPolicyCost(filter?: string): Promise<string> {
  const policySet = await loadPolicySet(new URL('../policies/', import.meta.url).pathname)
  const requests = corpusRequests()
  const kinds = [...new Set(requests.map(({ name }) => name))]
  const lines = [`µs per review (fastest batch)     ${kinds.map((kind) => `  ${kind}`).join('')}    mean`]
  for (const phase of ['validate', 'mutate'] as const) {
    lines.push(row(`${phase}, all policies`, requests, policySet, phase, kinds))
    if (phase === 'mutate') continue
    lines.push(row(`${phase}, no policy`, requests, { ...policySet, policies: [] }, phase, kinds))
    for (const policy of policySet.policies) {
      if (filter !== undefined && !policy.id.includes(filter)) continue
      lines.push(row(`  ${policy.id} alone`, requests, { ...policySet, policies: [policy] }, phase, kinds))
    }
  }
  return lines.join('\n')
}
