// `npm run bench -- --only watch`: `jackstop watch` over a loopback cluster of 10,000 pods
// (100 namespaces × 10 Deployments × 10 pods, one miner Deployment in every tenth namespace).
// Time to the first full set of reports, against a floor that only lists the same objects
// through the same informers; memory the controller holds; watch events handled per second.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { KubeConfig } from '@kubernetes/client-node'
import pino from 'pino'
import { loadPolicySet } from '../src/policy/load.ts'
import { connectForWatch } from '../src/watch/client.ts'
import { WatchController } from '../src/watch/controller.ts'
import { Informer } from '../src/watch/informer.ts'
import { createWatchMetrics } from '../src/watch/metrics.ts'
import { watchedSources } from '../src/watch/sources.ts'
import type { KubeObject } from '../src/workloads/kubernetes.ts'
import { type FakeCluster, startFakeCluster } from '../test/helpers/fake-cluster.ts'

const NAMESPACES = 100
const DEPLOYMENTS = 10
const PODS = 10

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function heapAfterGc(): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

function cluster(): Record<string, KubeObject[]> {
  const objects: Record<string, KubeObject[]> = { 'apps/deployments': [], 'apps/replicasets': [], pods: [] }
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `tenant-${n}`
    for (let d = 0; d < DEPLOYMENTS; d++) {
      const name = `app-${d}`
      const image = d === 0 && n % 10 === 0 ? 'xmrig/xmrig:6.21.0' : `registry.example.com/${namespace}/${name}:1.${d}`
      const container = {
        name,
        image,
        args: ['--port=8080', `--name=${name}`],
        env: [{ name: 'MODE', value: 'production' }],
        ports: [{ containerPort: 8080 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }
      const template = { metadata: { labels: { app: name } }, spec: { containers: [container] } }
      const uid = `${namespace}-${name}`
      objects['apps/deployments']?.push({ metadata: { name, namespace, uid }, spec: { replicas: PODS, selector: { matchLabels: { app: name } }, template } })
      const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true }
      objects['apps/replicasets']?.push({
        metadata: { name: `${name}-5d9`, namespace, uid: `${uid}-rs`, ownerReferences: [owner] },
        spec: { replicas: PODS, template },
      })
      for (let p = 0; p < PODS; p++) {
        const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-5d9`, uid: `${uid}-rs`, controller: true }
        objects.pods?.push({
          metadata: { name: `${name}-5d9-${p}`, namespace, uid: `${uid}-${p}`, labels: { app: name }, ownerReferences: [rs] },
          spec: { ...template.spec, nodeName: `node-${p}` },
        })
      }
    }
  }
  return objects
}

const settings = {
  namespaces: undefined,
  remediation: 'dry-run' as const,
  reportFormat: 'policyreport' as const,
  cpuWindowMs: 600_000,
  cpuSampleMs: 3_600_000,
  cpuCores: undefined,
  ownNamespace: 'jackstop-system',
  identity: 'bench',
  leaseName: 'jackstop-watch',
  leaseDurationSeconds: 15,
  leaseRetryMs: 100,
  resyncMs: 3_600_000,
  pageSize: 500,
  watchTimeoutSeconds: 300,
  backoffMs: 100,
}

function clientOf(fake: FakeCluster) {
  const config = new KubeConfig()
  config.loadFromString(fake.kubeconfig())
  return connectForWatch(config, 60_000)
}

/** The floor: the same informers, listing and watching, doing nothing with what arrives. */
async function listFloor(fake: FakeCluster): Promise<number> {
  const client = clientOf(fake)
  const noop = { changed: () => {}, deleted: () => {}, trouble: () => {} }
  const options = { pageSize: 500, resyncMs: 3_600_000, backoffMs: 100, maxBackoffMs: 1000, watchTimeoutSeconds: 300 }
  const informers = watchedSources(client, undefined).map((source) => new Informer(source, client.watcher, noop, options))
  const started = performance.now()
  await Promise.all(informers.map((informer) => informer.start()))
  const ms = performance.now() - started
  await Promise.all(informers.map((informer) => informer.stop()))
  return ms
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

export async function benchWatch(rounds: number): Promise<string> {
  const objects = cluster()
  const fake = await startFakeCluster({ objects })
  const policySet = await loadPolicySet(new URL('../policies', import.meta.url).pathname)
  const rows: string[] = []
  try {
    const floors: number[] = []
    const firsts: number[] = []
    const held: number[] = []
    const rates: number[] = []
    for (let round = 0; round < rounds; round++) {
      floors.push(await listFloor(fake))
      for (const report of fake.list('wgpolicyk8s.io/policyreports'))
        fake.remove('wgpolicyk8s.io/policyreports', report.metadata?.namespace, report.metadata?.name as string)
      fake.remove('coordination.k8s.io/leases', 'jackstop-system', 'jackstop-watch')
      const before = heapAfterGc()
      const controller = new WatchController(clientOf(fake), { ...settings, policySet }, pino({ level: 'silent' }), createWatchMetrics())
      const started = performance.now()
      await controller.start()
      await until(() => controller.leading && fake.list('wgpolicyk8s.io/policyreports').length === NAMESPACES)
      await controller.idle()
      firsts.push(performance.now() - started)
      held.push(heapAfterGc() - before)
      // After the start: a burst of pod updates (a label each), as a rollout would send.
      const pods = fake.list('pods').slice(0, 5000)
      const seen = controller.eventsSeen
      const burst = performance.now()
      for (const pod of pods) fake.apply('pods', { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata?.labels, rollout: String(round) } } })
      await until(() => controller.eventsSeen >= seen + pods.length)
      await controller.idle()
      rates.push(pods.length / ((performance.now() - burst) / 1000))
      await controller.stop()
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
    const floor = median(floors)
    const first = median(firsts)
    rows.push(
      `objects: ${objects.pods?.length} pods, ${objects['apps/deployments']?.length} Deployments, ${objects['apps/replicasets']?.length} ReplicaSets in ${NAMESPACES} namespaces; ${rounds} rounds, medians`,
      `floor (list and watch, no work):  ${(floor / 1000).toFixed(2)} s`,
      `first full report (${NAMESPACES} PolicyReports written): ${(first / 1000).toFixed(2)} s (${(first / floor).toFixed(2)}× the floor; goal < 30 s)`,
      `heap held by the controller after GC: ${(median(held) / 2 ** 20).toFixed(0)} MiB (goal < 300 MB); process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB with the loopback cluster in it`,
      `watch events handled after the start: ${median(rates).toFixed(0)} events/s (5,000 pod updates, reports rewritten)`,
    )
  } finally {
    await fake.close()
  }
  return `jackstop watch over a loopback cluster:\n${rows.join('\n')}`
}
