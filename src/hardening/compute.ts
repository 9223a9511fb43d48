// Unbounded compute: a miner in a namespace without LimitRange or ResourceQuota can take
// every core it is scheduled on, and pods without CPU limits show where.
import type { ReportedObject } from '../report/types.ts'
import { containersOf, podSpecsOf } from '../workloads/pod-specs.ts'
import { reported } from './finding.ts'
import type { Snapshot } from './snapshot.ts'

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease'])

export function computeDoors(snapshot: Snapshot): ReportedObject[] {
  const pods = snapshot.workloads.filter((object) => object.kind === 'Pod')
  const bounded = new Set([...snapshot.limitRanges, ...snapshot.resourceQuotas].map((object) => object.metadata?.namespace))
  const unlimited = new Map<string, number>()
  const withPods = new Map<string, number>()
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? 'default'
    withPods.set(namespace, (withPods.get(namespace) ?? 0) + 1)
    const noCpuLimit = podSpecsOf(pod).some((spec) =>
      containersOf(spec).some((container) => container.list !== 'ephemeralContainers' && container.container.resources?.limits?.cpu === undefined),
    )
    if (noCpuLimit) unlimited.set(namespace, (unlimited.get(namespace) ?? 0) + 1)
  }
  return snapshot.namespaces.flatMap((namespace) => {
    const name = namespace.metadata?.name ?? ''
    const pods = withPods.get(name) ?? 0
    if (SYSTEM_NAMESPACES.has(name) || pods === 0) return []
    const doors = []
    if (!bounded.has(name)) {
      doors.push({
        check: 'namespace-unbounded',
        action: 'warn' as const,
        severity: 'medium' as const,
        path: 'metadata.name',
        what: `namespace ${name} runs ${pods} pods with neither a LimitRange nor a ResourceQuota`,
        attack: 'a miner started here can use every core of the nodes it lands on, and as many pods as it likes',
        fix: 'add a LimitRange with default CPU limits and a ResourceQuota for the namespace',
      })
    }
    const count = unlimited.get(name) ?? 0
    if (count > 0) {
      doors.push({
        check: 'pods-without-cpu-limits',
        action: 'warn' as const,
        severity: 'low' as const,
        path: 'metadata.name',
        what: `${count} of ${pods} pods in namespace ${name} have a container without a CPU limit`,
        attack: 'a miner in such a container is bounded by nothing but the node',
        fix: "set CPU limits, or let jackstop's resource-limits mutation add them to new pods",
      })
    }
    return doors.length === 0 ? [] : [reported({ apiVersion: 'v1', kind: 'Namespace', ...namespace }, doors)]
  })
}
