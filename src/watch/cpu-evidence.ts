// Runtime evidence from metrics.k8s.io PodMetrics: a container that keeps its CPU at 90% of its
// limit (or above a set number of cores when it has none) for a whole window. Miners are found
// this way in the incident reports (MITRE ATT&CK T1496): renamed, proxied, fetched at run time,
// but always busy. A single sample below the line starts the window again.
import type { Finding } from '../engine/types.ts'
import type { KubeObject, V1Container } from '../workloads/kubernetes.ts'
import { containersOf, podSpecsOf } from '../workloads/pod-specs.ts'
import { parseQuantity } from '../workloads/quantity.ts'

/** Share of the CPU limit that counts as "at the limit": throttled miners hover just under 100%. */
export const CPU_LIMIT_SHARE = 0.9
export const SUSTAINED_CPU_POLICY = 'sustained-cpu'

export interface PodMetrics {
  metadata?: { name?: string; namespace?: string }
  containers?: { name?: string; usage?: { cpu?: string } }[]
}

export interface CpuEvidenceOptions {
  windowMs: number
  /** Threshold for containers without a CPU limit; undefined: they are not judged. */
  cores: number | undefined
}

interface Streak {
  since: number
  usage: number
  threshold: number
  limited: boolean
  sustained: boolean
}

const NANO = 1e9

function cores(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined
  const quantity = parseQuantity(text)
  return quantity === undefined ? undefined : Number(quantity.nano) / NANO
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`
}

export class CpuEvidence {
  /** `namespace/pod/container` -> the current run of samples above the line. */
  private readonly streaks = new Map<string, Streak>()
  private readonly options: CpuEvidenceOptions

  constructor(options: CpuEvidenceOptions) {
    this.options = options
  }

  private threshold(container: V1Container | undefined): { threshold: number; limited: boolean } | undefined {
    const limit = cores(container?.resources?.limits?.cpu as string | undefined)
    if (limit !== undefined && limit > 0) return { threshold: limit * CPU_LIMIT_SHARE, limited: true }
    return this.options.cores === undefined ? undefined : { threshold: this.options.cores, limited: false }
  }

  /**
   * Takes one round of samples; returns the namespaces whose evidence changed (a window
   * completed, or a sustained streak ended), so only their reports are recomputed.
   */
  record(samples: readonly PodMetrics[], podOf: (namespace: string, name: string) => KubeObject | undefined, now: number): Set<string> {
    const changed = new Set<string>()
    const seen = new Set<string>()
    for (const sample of samples) {
      const namespace = sample.metadata?.namespace
      const podName = sample.metadata?.name
      if (namespace === undefined || podName === undefined) continue
      const pod = podOf(namespace, podName)
      const spec = pod === undefined ? undefined : podSpecsOf(pod)[0]
      if (spec === undefined) continue
      const containers = new Map(containersOf(spec).map((subject) => [subject.name, subject.container]))
      for (const usage of sample.containers ?? []) {
        const key = `${namespace}/${podName}/${usage.name}`
        const line = this.threshold(containers.get(usage.name ?? ''))
        const used = cores(usage.usage?.cpu)
        if (line === undefined || used === undefined || used < line.threshold) continue
        seen.add(key)
        const streak = this.streaks.get(key)
        if (streak === undefined) {
          const sustained = this.options.windowMs <= 0
          this.streaks.set(key, { since: now, usage: used, sustained, ...line })
          if (sustained) changed.add(namespace)
        } else if (!streak.sustained && now - streak.since >= this.options.windowMs) {
          // The evidence is frozen when the window completes, so the report does not churn each sample.
          streak.sustained = true
          streak.usage = used
          changed.add(namespace)
        }
      }
    }
    for (const [key, streak] of this.streaks) {
      if (seen.has(key)) continue
      this.streaks.delete(key)
      if (streak.sustained) changed.add(key.split('/')[0] as string)
    }
    return changed
  }

  /** Forgets a deleted pod's streaks. */
  forget(namespace: string, podName: string): void {
    for (const key of this.streaks.keys()) if (key.startsWith(`${namespace}/${podName}/`)) this.streaks.delete(key)
  }

  /** `sustained-cpu` findings for a pod whose containers stayed at the line for the window. */
  findingsFor(pod: KubeObject): Finding[] {
    const namespace = pod.metadata?.namespace
    const spec = podSpecsOf(pod)[0]
    if (namespace === undefined || spec === undefined || this.streaks.size === 0) return []
    const findings: Finding[] = []
    for (const subject of containersOf(spec)) {
      const streak = this.streaks.get(`${namespace}/${pod.metadata?.name}/${subject.name}`)
      if (streak === undefined || !streak.sustained) continue
      const against = streak.limited
        ? `${CPU_LIMIT_SHARE * 100}% of its ${streak.threshold / CPU_LIMIT_SHARE}-core limit`
        : `${streak.threshold} cores (no limit set)`
      findings.push({
        policy: SUSTAINED_CPU_POLICY,
        action: 'warn',
        severity: 'high',
        path: subject.path,
        message: `${subject.path} "${subject.name}": CPU ${streak.usage.toFixed(2)} cores, at or above ${against}, for ${formatDuration(this.options.windowMs)} or more (${SUSTAINED_CPU_POLICY})`,
      })
    }
    return findings
  }
}
