// The miner-signals findings for one container in a bare pod, through the real engine and policy set.
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'

export interface PodExtras {
  /** Pod spec fields beside the container (volumes, a service account). */
  spec?: object
  /** Other objects of the same review: the ConfigMaps the pod mounts (`jackstop check` reads them). */
  related?: KubeObject[]
}

export function minerSignals(policySet: PolicySet, container: Partial<V1Container>, extras: PodExtras = {}): { action: string; message: string }[] {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'debian:12-slim', ...container }], ...extras.spec },
  }
  return evaluate({ object, related: extras.related }, policySet)
    .findings.filter((finding) => finding.policy === 'miner-signals')
    .map(({ action, message }) => ({ action, message }))
}
