// `jackstop watch`: informers over pods, their controllers and ConfigMaps feed one work queue of
// namespaces; reconciling a namespace evaluates what it holds with the webhook's engine (each
// object version once), adds CPU evidence, writes the namespace's report and, as leader,
// remediates. Reconcile is "make it so": running it twice changes nothing the second time.
import type { PolicySet } from '../engine/types.ts'
import { describeApiError } from '../kube/list.ts'
import { planRemediations } from '../remediate/plan.ts'
import { type RemediationLog, type RemediationMode, Remediator } from '../remediate/remediator.ts'
import { policyReportDocuments, type ReportFlavour } from '../report/policy-report.ts'
import type { ReportedObject } from '../report/types.ts'
import { groupScanResults } from '../scan/group.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import type { WatchClient } from './client.ts'
import { CpuEvidence, type PodMetrics } from './cpu-evidence.ts'
import { FindingsMemo, isMinerSignal, MINER_POLICY } from './findings.ts'
import { Informer } from './informer.ts'
import { LeaderElector } from './leader.ts'
import type { WatchMetrics } from './metrics.ts'
import { WorkQueue } from './queue.ts'
import { ReportWriter } from './report-writer.ts'
import { watchedSources } from './sources.ts'

/** Never remediated, whatever a policy says: the control plane's namespace. */
export const ALWAYS_PROTECTED = 'kube-system'

export interface WatchLog extends RemediationLog {
  warn(fields: object, message: string): void
}

export interface WatchSettings {
  policySet: PolicySet
  /** Undefined: the whole cluster. */
  namespaces: readonly string[] | undefined
  remediation: RemediationMode
  reportFormat: ReportFlavour
  cpuWindowMs: number
  cpuSampleMs: number
  cpuCores: number | undefined
  /** jackstop's own namespace: never remediated, and where the Lease lives. */
  ownNamespace: string
  identity: string
  leaseName: string
  leaseDurationSeconds: number
  leaseRetryMs: number
  resyncMs: number
  pageSize: number
  watchTimeoutSeconds: number
  backoffMs: number
}

export class WatchController {
  ready = false
  /** Object events handled since the start (list items, watch events, resyncs). */
  eventsSeen = 0
  private readonly client: WatchClient
  private readonly settings: WatchSettings
  private readonly log: WatchLog
  private readonly metrics: WatchMetrics
  private readonly index = new Map<string, Map<string, KubeObject>>()
  private readonly evidence: CpuEvidence
  private readonly memo: FindingsMemo
  private readonly queue: WorkQueue
  private readonly writer: ReportWriter
  private readonly remediator: Remediator
  private readonly elector: LeaderElector
  private readonly informers: Informer[]
  private readonly policies: Map<string, PolicySet['policies'][number]>
  private readonly findingCounts = new Map<string, Map<string, number>>()
  private sampler: NodeJS.Timeout | undefined
  private metricsMissing = false
  private sampling: Promise<void> | undefined
  private objectCount = 0
  private stopped = false

  constructor(client: WatchClient, settings: WatchSettings, log: WatchLog, metrics: WatchMetrics) {
    this.client = client
    this.settings = settings
    this.log = log
    this.metrics = metrics
    this.policies = new Map(settings.policySet.policies.map((policy) => [policy.id, policy]))
    this.evidence = new CpuEvidence({ windowMs: settings.cpuWindowMs, cores: settings.cpuCores })
    this.memo = new FindingsMemo(settings.policySet, this.evidence)
    this.writer = new ReportWriter(client.custom, settings.reportFormat)
    this.remediator = new Remediator({
      client,
      mode: settings.remediation,
      log,
      now: () => new Date(),
      count: (action, mode, outcome) => metrics.remediations.inc({ action, mode, outcome }),
    })
    this.queue = new WorkQueue((namespace) => this.reconcile(namespace), {
      retryBaseMs: settings.backoffMs,
      retryMaxMs: 60_000,
      done: (_, waitedMs) => metrics.lag.observe(waitedMs / 1000),
      failed: (namespace, error, retryInMs) => {
        metrics.watchErrors.inc()
        log.warn({ namespace, error: describeApiError(error), retryInMs }, 'reconcile failed; retrying')
      },
    })
    this.elector = new LeaderElector(
      client.coordination,
      {
        namespace: settings.ownNamespace,
        name: settings.leaseName,
        identity: settings.identity,
        leaseDurationSeconds: settings.leaseDurationSeconds,
        retryMs: settings.leaseRetryMs,
      },
      (leading) => this.leadershipChanged(leading),
      (message) => {
        metrics.watchErrors.inc()
        log.warn({}, message)
      },
    )
    const handlers = {
      changed: (object: KubeObject) => this.changed(object),
      deleted: (object: KubeObject) => this.deleted(object),
      trouble: (message: string) => {
        metrics.watchErrors.inc()
        log.warn({}, message)
      },
    }
    const options = {
      pageSize: settings.pageSize,
      resyncMs: settings.resyncMs,
      backoffMs: settings.backoffMs,
      maxBackoffMs: 30_000,
      watchTimeoutSeconds: settings.watchTimeoutSeconds,
    }
    this.informers = watchedSources(client, settings.namespaces).map((source) => new Informer(source, client.watcher, handlers, options))
  }

  get leading(): boolean {
    return this.elector.leading
  }

  /** Lists everything, then watches; resolves once every informer has listed once. */
  async start(): Promise<void> {
    const started = Date.now()
    await Promise.all(this.informers.map((informer) => informer.start()))
    this.ready = true
    this.log.info({ objects: this.objectCount, ms: Date.now() - started, namespaces: this.index.size }, 'informers synced')
    this.elector.start()
    this.sampler = setInterval(() => {
      this.sampling ??= this.sampleCpu().finally(() => (this.sampling = undefined))
    }, this.settings.cpuSampleMs)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.ready = false
    clearInterval(this.sampler)
    await this.sampling
    await this.elector.stop()
    await Promise.all(this.informers.map((informer) => informer.stop()))
    await this.queue.stop()
  }

  /** Resolves when no namespace waits to be reconciled (tests and the benchmark use it). */
  idle(): Promise<void> {
    return this.queue.idle()
  }

  /** One round of PodMetrics, on demand (the sampler calls it every `cpuSampleMs`). */
  async sampleCpu(): Promise<void> {
    const where = { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods' }
    let samples: PodMetrics[]
    try {
      const lists =
        this.settings.namespaces === undefined
          ? [await this.client.custom.listClusterCustomObject(where)]
          : await Promise.all(this.settings.namespaces.map((namespace) => this.client.custom.listNamespacedCustomObject({ ...where, namespace })))
      samples = lists.flatMap((list) => ((list as { items?: PodMetrics[] }).items ?? []) as PodMetrics[])
    } catch (error) {
      // Said once: a cluster without metrics-server still gets every static finding.
      if (!this.metricsMissing)
        this.log.warn({ error: describeApiError(error) }, 'no metrics API (metrics.k8s.io): sustained-cpu evidence is off until it answers')
      this.metricsMissing = true
      return
    }
    if (this.metricsMissing) this.log.info({}, 'the metrics API answers: sustained-cpu evidence is on')
    this.metricsMissing = false
    const changed = this.evidence.record(samples, (namespace, name) => this.index.get(namespace)?.get(`Pod/${name}`), Date.now())
    for (const namespace of changed) this.queue.add(namespace)
  }

  private changed(object: KubeObject): void {
    this.eventsSeen++
    /* c8 ignore next: the API server always sets metadata.namespace on namespaced objects */
    const namespace = object.metadata?.namespace ?? ''
    let objects = this.index.get(namespace)
    if (objects === undefined) {
      objects = new Map()
      this.index.set(namespace, objects)
    }
    const key = `${object.kind}/${object.metadata?.name}`
    if (!objects.has(key)) this.metrics.objects.set(++this.objectCount)
    objects.set(key, object)
    this.queue.add(namespace)
  }

  private deleted(object: KubeObject): void {
    this.eventsSeen++
    /* c8 ignore next: the API server always sets metadata.namespace on namespaced objects */
    const namespace = object.metadata?.namespace ?? ''
    const objects = this.index.get(namespace)
    if (objects?.delete(`${object.kind}/${object.metadata?.name}`) === true) this.metrics.objects.set(--this.objectCount)
    if (objects?.size === 0) this.index.delete(namespace)
    this.memo.forget(object)
    /* c8 ignore next: the API server always sets metadata.name */
    if (object.kind === 'Pod') this.evidence.forget(namespace, object.metadata?.name ?? '')
    this.queue.add(namespace)
  }

  private leadershipChanged(leading: boolean): void {
    this.metrics.leader.set(leading ? 1 : 0)
    this.log.info({ identity: this.settings.identity, leading }, leading ? 'leading: writing reports and remediating' : 'not leading')
    if (!leading || this.stopped) return
    // A new leader knows nothing of what was written before: check every namespace once.
    this.writer.reset()
    this.remediator.reset()
    for (const namespace of this.index.keys()) this.queue.add(namespace)
    this.writer.existing().then(
      (namespaces) => {
        for (const namespace of namespaces) if (this.inScope(namespace)) this.queue.add(namespace)
      },
      (error) => this.log.warn({ error: describeApiError(error) }, 'cannot list existing reports; stale ones stay until their namespace changes'),
    )
  }

  private inScope(namespace: string): boolean {
    return this.settings.namespaces === undefined || this.settings.namespaces.includes(namespace)
  }

  private countFindings(namespace: string, entries: readonly ReportedObject[]): void {
    const counts = new Map<string, number>()
    for (const entry of entries)
      for (const finding of entry.findings) counts.set(`${finding.policy}|${finding.action}`, (counts.get(`${finding.policy}|${finding.action}`) ?? 0) + 1)
    const before = this.findingCounts.get(namespace) ?? new Map<string, number>()
    for (const key of new Set([...before.keys(), ...counts.keys()])) {
      const delta = (counts.get(key) ?? 0) - (before.get(key) ?? 0)
      if (delta === 0) continue
      const [policy, action] = key.split('|') as [string, string]
      this.metrics.findings.inc({ policy, action }, delta)
    }
    if (counts.size === 0) this.findingCounts.delete(namespace)
    else this.findingCounts.set(namespace, counts)
  }

  private async reconcile(namespace: string): Promise<void> {
    const objects = [...(this.index.get(namespace)?.values() ?? [])]
    const findingsOf = (object: KubeObject) => this.memo.findingsOf(object)
    const entries = groupScanResults(objects, this.settings.policySet, findingsOf)
    this.countFindings(namespace, entries)
    if (!this.elector.leading || namespace === '') return
    const plans = planRemediations({
      namespace,
      objects,
      findingsOf,
      policies: this.policies,
      protectedNamespaces: new Set([ALWAYS_PROTECTED, this.settings.ownNamespace]),
      minerPolicy: MINER_POLICY,
      isMinerSignal,
    })
    const versionOf = (target: { kind: string; name: string }) => this.index.get(namespace)?.get(`${target.kind}/${target.name}`)?.metadata?.resourceVersion
    const { notes, failures } = plans.length === 0 ? { notes: [], failures: [] } : await this.remediator.apply(plans, versionOf)
    for (const note of notes) {
      entries.push({
        apiVersion: note.target.apiVersion,
        uid: note.target.uid,
        kind: note.target.kind,
        namespace,
        name: note.target.name,
        source: 'remediation',
        findings: [{ policy: 'remediation', action: 'warn', severity: 'high', path: '', message: note.message }],
      })
    }
    const [document] = policyReportDocuments(
      { objects: entries, problems: [], policies: this.settings.policySet.policies },
      this.settings.reportFormat,
      new Date(),
    )
    await this.writer.write(namespace, document)
    // Written first, so a remediation the API keeps refusing cannot keep the findings out of the report.
    if (failures.length > 0) throw failures[0]
  }
}
