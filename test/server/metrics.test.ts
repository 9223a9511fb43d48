// The request path counts reviews, findings and mutations in a tally that /metrics reads into
// the prom-client counters: a scrape must show every review counted so far, exactly once.
import t from 'tap'
import { createMetrics } from '../../src/server/metrics.ts'

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
