// Prometheus metrics of the controller: what it finds now, what it did, how far behind it runs.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export interface WatchMetrics {
  registry: Registry
  findings: Gauge<'policy' | 'action'>
  remediations: Counter<'action' | 'mode' | 'outcome'>
  lag: Histogram
  objects: Gauge
  leader: Gauge
  watchErrors: Counter
}

export function createWatchMetrics(): WatchMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    findings: new Gauge({
      name: 'jackstop_watch_findings',
      help: 'Findings in the reports now, by policy and action',
      labelNames: ['policy', 'action'],
      registers: [registry],
    }),
    remediations: new Counter({
      name: 'jackstop_watch_remediations_total',
      help: 'Remediations by action, mode (dry-run, enforce) and outcome (would, done, failed)',
      labelNames: ['action', 'mode', 'outcome'],
      registers: [registry],
    }),
    lag: new Histogram({
      name: 'jackstop_watch_informer_lag_seconds',
      help: 'Time from a change reaching an informer to its namespace being reconciled',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    objects: new Gauge({ name: 'jackstop_watch_objects', help: 'Objects held in the informer caches', registers: [registry] }),
    leader: new Gauge({ name: 'jackstop_watch_leader', help: '1 while this replica holds the Lease and may write', registers: [registry] }),
    watchErrors: new Counter({
      name: 'jackstop_watch_errors_total',
      help: 'Failed lists, watches, samples and reconciles, each retried',
      registers: [registry],
    }),
  }
}
