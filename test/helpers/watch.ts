// Runs `jackstop watch`'s controller in-process against the loopback cluster, with short
// intervals, and the fixtures its tests share.
import { symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KubeConfig } from '@kubernetes/client-node'
import type { Test } from 'tap'
import { type ClusterClient, connect } from '../../src/kube/cluster.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { connectForWatch } from '../../src/watch/client.ts'
import { WatchController, type WatchSettings } from '../../src/watch/controller.ts'
import { createWatchMetrics, type WatchMetrics } from '../../src/watch/metrics.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { type FakeCluster, startFakeCluster } from './fake-cluster.ts'

const POLICIES = fileURLToPath(new URL('../../policies', import.meta.url))

/** The default policies, re-exported with a `remediate` action for the miner policies. */
export async function policiesWithRemediation(t: Test, remediate = 'scale-to-zero', exemptNamespaces: string[] = []): Promise<string> {
  const dir = t.testdir()
  await symlink(join(POLICIES, 'data'), join(dir, 'data'))
  for (const name of ['miner-images', 'miner-signals', 'miner-configmaps', 'resource-limits', 'privileged']) {
    const extension = name === 'privileged' ? 'yaml' : 'ts'
    const source = join(POLICIES, `${name}.${extension}`)
    if (extension === 'yaml') await symlink(source, join(dir, `${name}.yaml`))
    else {
      const exempt = exemptNamespaces.length === 0 ? '' : `, exempt: { namespaces: ${JSON.stringify(exemptNamespaces)} }`
      const extra = name.startsWith('miner-') ? `, remediate: '${remediate}'${exempt}` : ''
      await writeFile(join(dir, `${name}.ts`), `import base from ${JSON.stringify(source)}\nexport default { ...base${extra} }\n`)
    }
  }
  return dir
}

export interface LogLine {
  level: string
  message: string
  fields: Record<string, unknown>
}

export interface RunningWatch {
  controller: WatchController
  metrics: WatchMetrics
  lines: LogLine[]
  stop(): Promise<void>
}

export async function startWatch(t: Test, cluster: FakeCluster, settings: Partial<WatchSettings> & { policies: string }): Promise<RunningWatch> {
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  const client = connectForWatch(config, 10_000)
  const lines: LogLine[] = []
  const logAt = (level: string) => (fields: object, message: string) => lines.push({ level, message, fields: fields as Record<string, unknown> })
  const log = { info: logAt('info'), warn: logAt('warn'), error: logAt('error') }
  const metrics = createWatchMetrics()
  const policySet = await loadPolicySet(settings.policies)
  const controller = new WatchController(
    client,
    {
      policySet,
      namespaces: undefined,
      remediation: 'dry-run',
      reportFormat: 'policyreport',
      cpuWindowMs: 600_000,
      cpuSampleMs: 3_600_000,
      cpuCores: undefined,
      ownNamespace: 'jackstop-system',
      identity: 'replica-a',
      leaseName: 'jackstop-watch',
      leaseDurationSeconds: 2,
      leaseRetryMs: 50,
      resyncMs: 3_600_000,
      pageSize: 3,
      watchTimeoutSeconds: 60,
      backoffMs: 20,
      ...settings,
    },
    log,
    metrics,
  )
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await controller.stop()
  }
  t.teardown(stop)
  await controller.start()
  return { controller, metrics, lines, stop }
}

/** The loopback cluster holding `objects`, closed at teardown, and the client remediation uses on it. */
export async function startClusterWithClient(t: Test, objects: Record<string, KubeObject[]>): Promise<{ cluster: FakeCluster; client: ClusterClient }> {
  const cluster = await startFakeCluster({ objects })
  t.teardown(() => cluster.close())
  const config = new KubeConfig()
  config.loadFromString(cluster.kubeconfig())
  return { cluster, client: connect(config) }
}

/** Polls until `condition` holds; fails the test with `what` after `ms`. */
export async function until(t: Test, what: string, condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  t.fail(`timed out waiting: ${what}`)
  throw new Error(`timed out waiting: ${what}`)
}

export function deployment(name: string, namespace: string, image: string, options: { replicas?: number; cpuLimit?: string; command?: string[] } = {}) {
  const container = {
    name,
    image,
    ...(options.command === undefined ? {} : { command: options.command }),
    ...(options.cpuLimit === undefined ? {} : { resources: { limits: { cpu: options.cpuLimit, memory: '128Mi' }, requests: { cpu: '10m', memory: '64Mi' } } }),
  }
  const template = { metadata: { labels: { app: name } }, spec: { containers: [container] } }
  const uid = `uid-${namespace}-${name}`
  const replicas = options.replicas ?? 2
  const objects: Record<string, KubeObject[]> = {
    'apps/deployments': [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, uid }, spec: { replicas, selector: { matchLabels: { app: name } }, template } },
    ],
    'apps/replicasets': [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-7c9`,
          namespace,
          uid: `${uid}-rs`,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true }],
        },
        spec: { replicas, template },
      },
    ],
    pods: Array.from({ length: replicas }, (_, index) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-7c9-${index}`,
        namespace,
        uid: `${uid}-pod-${index}`,
        labels: { app: name },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-7c9`, uid: `${uid}-rs`, controller: true }],
      },
      spec: template.spec,
    })),
  }
  return objects
}

/** Merges fixtures by resource key. */
export function merge(...parts: Record<string, KubeObject[]>[]): Record<string, KubeObject[]> {
  const merged: Record<string, KubeObject[]> = {}
  for (const part of parts) for (const [key, objects] of Object.entries(part)) merged[key] = [...(merged[key] ?? []), ...objects]
  return merged
}

interface ReportResult {
  policy: string
  result: string
  message: string
  resources: { kind: string; name: string }[]
  properties?: Record<string, string>
}

/** A PolicyReport jackstop wrote in an earlier run (the managed-by label is how a watch knows its own). */
export function earlierReport(namespace: string, fail = 1) {
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: { name: `jackstop-${namespace}`, namespace, labels: { 'app.kubernetes.io/managed-by': 'jackstop' } },
    summary: { pass: 0, fail, warn: 0, error: 0, skip: 0 },
    results: [],
  }
}

export function reportOf(cluster: FakeCluster, namespace: string): { summary: Record<string, number>; results: ReportResult[] } | undefined {
  return cluster.get('wgpolicyk8s.io/policyreports', namespace, `jackstop-${namespace}`) as never
}

/** An object's spec, typed for the assertion at hand. */
export function specOf<Spec>(object: KubeObject | undefined): Spec {
  return (object?.spec ?? {}) as Spec
}
