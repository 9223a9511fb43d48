// The request path counts reviews, findings and mutations in a tally that /metrics reads into
// the prom-client counters: a scrape must show every review counted so far, exactly once.
import { Histogram, Registry } from 'prom-client'
import t from 'tap'
import { createMetrics, REVIEW_SECONDS_BUCKETS } from '../../src/server/metrics.ts'

async function sample(metrics: ReturnType<typeof createMetrics>, line: string): Promise<string | undefined> {
  const text = await metrics.registry.metrics()
  return text.split('\n').find((entry) => entry.startsWith(line))
}

t.test('each scrape shows every review counted so far, and counts added between scrapes are added once', async (t) => {
  const metrics = createMetrics()
  for (let index = 0; index < 3; index++) metrics.tally.reviews.add('mutate', 'CREATE', 'Pod', 'patched')
  metrics.tally.reviews.add('validate', 'UPDATE', 'Deployment', 'denied')
  const patched = 'jackstop_admission_reviews_total{phase="mutate",operation="CREATE",kind="Pod",decision="patched"}'
  const denied = 'jackstop_admission_reviews_total{phase="validate",operation="UPDATE",kind="Deployment",decision="denied"}'
  t.equal(await sample(metrics, patched), `${patched} 3`)
  t.equal(await sample(metrics, denied), `${denied} 1`)
  t.equal(await sample(metrics, patched), `${patched} 3`, 'a second scrape adds nothing')
  metrics.tally.reviews.add('mutate', 'CREATE', 'Pod', 'patched')
  t.equal(await sample(metrics, patched), `${patched} 4`)
  t.equal(await sample(metrics, denied), `${denied} 1`)
})

t.test('findings and mutations are counted by their own labels', async (t) => {
  const metrics = createMetrics()
  metrics.tally.findings.add('miner-images', 'deny')
  metrics.tally.findings.add('miner-images', 'deny')
  metrics.tally.findings.add('resource-limits', 'warn')
  metrics.tally.mutations.add('drop-capabilities')
  t.equal(
    await sample(metrics, 'jackstop_findings_total{policy="miner-images",action="deny"}'),
    'jackstop_findings_total{policy="miner-images",action="deny"} 2',
  )
  t.equal(
    await sample(metrics, 'jackstop_findings_total{policy="resource-limits",action="warn"}'),
    'jackstop_findings_total{policy="resource-limits",action="warn"} 1',
  )
  t.equal(await sample(metrics, 'jackstop_mutations_total{policy="drop-capabilities"}'), 'jackstop_mutations_total{policy="drop-capabilities"} 1')
  t.same((await metrics.mutations.get()).values, [{ value: 1, labels: { policy: 'drop-capabilities' } }], 'reading the counter directly sees the tally too')
})

t.test("review durations are exported exactly as prom-client's own histogram exports the same observations", async (t) => {
  const metrics = createMetrics()
  const reference = new Registry()
  const histogram = new Histogram({
    name: 'jackstop_review_duration_seconds',
    help: 'Time to review one AdmissionReview, from decoded body to answer',
    labelNames: ['phase'],
    buckets: [...REVIEW_SECONDS_BUCKETS],
    registers: [reference],
  })
  // Below the first bound, on a bound, between bounds, past the last bound.
  const observations: ['validate' | 'mutate', number][] = [
    ['validate', 0.00001],
    ['validate', 0.0001],
    ['mutate', 0.0003],
    ['validate', 0.002],
    ['mutate', 0.7],
    ['validate', 3],
  ]
  for (const [phase, seconds] of observations) {
    metrics.reviewSeconds.observe(phase, seconds)
    histogram.observe({ phase }, seconds)
  }
  const series = (text: string) =>
    text
      .split('\n\n')
      .find((block) => block.includes('# TYPE jackstop_review_duration_seconds histogram'))
      ?.trimEnd()
  const exported = series(await metrics.registry.metrics())
  t.equal(exported, series(await reference.metrics()))
  t.match(exported, 'jackstop_review_duration_seconds_bucket{le="0.0001",phase="validate"} 2')
  t.match(exported, 'jackstop_review_duration_seconds_count{phase="mutate"} 2')
  t.same(await metrics.registry.getMetricsAsJSON().then((all) => all.find((metric) => metric.name === 'jackstop_review_duration_seconds')?.type), 'histogram')
  metrics.registry.resetMetrics()
  t.notMatch(await metrics.registry.metrics(), 'jackstop_review_duration_seconds_count', 'a reset empties it as it empties the others')
})
