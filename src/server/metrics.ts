// Prometheus metrics (prom-client) on GET /metrics: what was reviewed and decided, what was
// found and mutated, how long reviews take (buckets fine enough for sub-millisecond work),
// policy reloads, certificate expiry, open and refused connections, and the default process metrics.
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client'

interface Tallied<Label extends string> {
  labels: Record<Label, string>
  count: number
}

/** One level of a tally: the next label's values, or at the last label the counts themselves. */
type TallyLevel<Label extends string> = Map<string, TallyLevel<Label> | Tallied<Label>>

/**
 * Counts of one counter kept on the request path and added to it when /metrics is read:
 * prom-client validates and hashes the label object on every `inc`, and a mutated pod makes
 * several. The label sets are bounded (reviewed kinds, operations, policy ids). Counts are
 * found through one map per label, so counting allocates nothing once a label set was seen.
 */
export class Tally<Label extends string> {
  private readonly root: TallyLevel<Label> = new Map()
  private readonly all: Tallied<Label>[] = []
  private readonly labelNames: readonly Label[]

  constructor(labelNames: readonly Label[]) {
    this.labelNames = labelNames
  }

  add(...values: string[]): void {
    let level = this.root
    const last = values.length - 1
    for (let index = 0; index < last; index++) {
      const value = values[index] as string
      let next = level.get(value) as TallyLevel<Label> | undefined
      if (next === undefined) {
        next = new Map()
        level.set(value, next)
      }
      level = next
    }
    const tallied = level.get(values[last] as string) as Tallied<Label> | undefined
    if (tallied !== undefined) tallied.count += 1
    else {
      const counted = { labels: Object.fromEntries(this.labelNames.map((name, index) => [name, values[index]])) as Record<Label, string>, count: 1 }
      level.set(values[last] as string, counted)
      this.all.push(counted)
    }
  }

  /** Hands what was counted since the last read to the counter. */
  flushInto(counter: Counter<Label>): void {
    for (const tallied of this.all) {
      if (tallied.count === 0) continue
      counter.inc(tallied.labels, tallied.count)
      tallied.count = 0
    }
  }
}

/** Upper bounds of the review duration buckets, in seconds: fine enough for sub-millisecond reviews. */
export const REVIEW_SECONDS_BUCKETS: readonly number[] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5]

interface DurationSeries {
  /** Observations per bucket (not cumulative); past the last bound they are only in `count`. */
  buckets: Float64Array
  sum: number
  count: number
}

/**
 * jackstop_review_duration_seconds: a histogram by phase whose observe is a bucket search and
 * three additions. prom-client's Histogram validates, hashes and string-keys the labels on every
 * observe (its share of a loaded server's profile was 2.5-3 µs per review); this one exports the
 * same series, names and values (test/server/metrics.test.ts holds the text to prom-client's).
 */
export class ReviewDurations {
  readonly name = 'jackstop_review_duration_seconds'
  readonly help = 'Time to review one AdmissionReview, from decoded body to answer'
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly series = new Map<string, DurationSeries>()

  observe(phase: string, seconds: number): void {
    let series = this.series.get(phase)
    if (series === undefined) {
      series = { buckets: new Float64Array(REVIEW_SECONDS_BUCKETS.length), sum: 0, count: 0 }
      this.series.set(phase, series)
    }
    let bucket = 0
    while (bucket < REVIEW_SECONDS_BUCKETS.length && seconds > (REVIEW_SECONDS_BUCKETS[bucket] as number)) bucket++
    if (bucket < REVIEW_SECONDS_BUCKETS.length) series.buckets[bucket] = (series.buckets[bucket] as number) + 1
    series.sum += seconds
    series.count += 1
  }

  /** prom-client's histogram layout: cumulative buckets with `le`, then +Inf, sum and count, per phase. */
  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = []
    for (const [phase, series] of this.series) {
      let cumulative = 0
      REVIEW_SECONDS_BUCKETS.forEach((upperBound, bucket) => {
        cumulative += series.buckets[bucket] as number
        values.push({ labels: { le: upperBound, phase }, value: cumulative, metricName: `${this.name}_bucket` })
      })
      values.push({ labels: { le: '+Inf', phase }, value: series.count, metricName: `${this.name}_bucket` })
      values.push({ labels: { phase }, value: series.sum, metricName: `${this.name}_sum` })
      values.push({ labels: { phase }, value: series.count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }

  reset(): void {
    this.series.clear()
  }
}

export interface JackstopMetrics {
  registry: Registry
  reviews: Counter<'phase' | 'operation' | 'kind' | 'decision'>
  findings: Counter<'policy' | 'action'>
  mutations: Counter<'policy'>
  reviewSeconds: ReviewDurations
  policyReloads: Counter<'result'>
  certificateExpiry: Gauge
  openConnections: Gauge
  droppedConnections: Counter<'reason'>
  /** The request path's counts of reviews, findings and mutations, read into the counters above on every scrape. */
  tally: { reviews: Tally<'phase' | 'operation' | 'kind' | 'decision'>; findings: Tally<'policy' | 'action'>; mutations: Tally<'policy'> }
}

/** The registry formats any metric with a name, help, type and get(); its types list only prom-client's own classes. */
function registered<T extends object>(registry: Registry, metric: T): T {
  registry.registerMetric(metric as unknown as Metric)
  return metric
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
    reviewSeconds: registered(registry, new ReviewDurations()),
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
