// Prometheus metrics (prom-client) on GET /metrics: what was reviewed and decided, what was
// found and mutated, how long reviews take (buckets fine enough for sub-millisecond work),
// policy reloads, certificate expiry, open and refused connections, and the default process metrics.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

interface Tallied<Label extends string> {
  labels: Record<Label, string>
  count: number
}

/**
 * Counts of one counter kept on the request path and added to it when /metrics is read:
 * prom-client validates and hashes the label object on every `inc`, and a mutated pod makes
 * several. The label sets are bounded (reviewed kinds, operations, policy ids).
 */
export class Tally<Label extends string> {
  private readonly counts = new Map<string, Tallied<Label>>()
  private readonly labelNames: readonly Label[]

  constructor(labelNames: readonly Label[]) {
    this.labelNames = labelNames
  }

  add(...values: string[]): void {
    const key = values.join('\u0000')
    const tallied = this.counts.get(key)
    if (tallied !== undefined) tallied.count += 1
    else this.counts.set(key, { labels: Object.fromEntries(this.labelNames.map((name, index) => [name, values[index]])) as Record<Label, string>, count: 1 })
  }

  /** Hands what was counted since the last read to the counter. */
  flushInto(counter: Counter<Label>): void {
    for (const tallied of this.counts.values()) {
      if (tallied.count === 0) continue
      counter.inc(tallied.labels, tallied.count)
      tallied.count = 0
    }
  }
}

export interface JackstopMetrics {
  registry: Registry
  reviews: Counter<'phase' | 'operation' | 'kind' | 'decision'>
  findings: Counter<'policy' | 'action'>
  mutations: Counter<'policy'>
  reviewSeconds: Histogram<'phase'>
  policyReloads: Counter<'result'>
  certificateExpiry: Gauge
  openConnections: Gauge
  droppedConnections: Counter<'reason'>
  /** The request path's counts of reviews, findings and mutations, read into the counters above on every scrape. */
  tally: { reviews: Tally<'phase' | 'operation' | 'kind' | 'decision'>; findings: Tally<'policy' | 'action'>; mutations: Tally<'policy'> }
}

export function createMetrics(): JackstopMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const tally = {
    reviews: new Tally(['phase', 'operation', 'kind', 'decision'] as const),
    findings: new Tally(['policy', 'action'] as const),
    mutations: new Tally(['policy'] as const),
  }
  return {
    registry,
    tally,
    reviews: new Counter({
      name: 'jackstop_admission_reviews_total',
      help: 'Admission reviews by phase, operation, kind and decision',
      labelNames: ['phase', 'operation', 'kind', 'decision'],
      registers: [registry],
      collect() {
        tally.reviews.flushInto(this)
      },
    }),
    findings: new Counter({
      name: 'jackstop_findings_total',
      help: 'Policy findings by policy and action',
      labelNames: ['policy', 'action'],
      registers: [registry],
      collect() {
        tally.findings.flushInto(this)
      },
    }),
    mutations: new Counter({
      name: 'jackstop_mutations_total',
      help: 'Edits made by mutation policies',
      labelNames: ['policy'],
      registers: [registry],
      collect() {
        tally.mutations.flushInto(this)
      },
    }),
    reviewSeconds: new Histogram({
      name: 'jackstop_review_duration_seconds',
      help: 'Time to review one AdmissionReview, from decoded body to answer',
      labelNames: ['phase'],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5],
      registers: [registry],
    }),
    policyReloads: new Counter({
      name: 'jackstop_policy_reloads_total',
      help: 'Policy reloads by result (success, failure)',
      labelNames: ['result'],
      registers: [registry],
    }),
    certificateExpiry: new Gauge({
      name: 'jackstop_certificate_expiry_timestamp_seconds',
      help: 'When the serving certificate expires (Unix time)',
      registers: [registry],
    }),
    openConnections: new Gauge({ name: 'jackstop_open_connections', help: 'TCP connections open to the webhook', registers: [registry] }),
    droppedConnections: new Counter({
      name: 'jackstop_dropped_connections_total',
      help: 'Connections the webhook closed: max-connections (over --max-connections), no-request (nothing sent in time)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  }
}
