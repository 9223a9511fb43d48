// The miner-signals findings for one container in a bare pod, through the real engine and policy set.
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import type { V1Container } from '../../src/workloads/kubernetes.ts'

export function minerSignals(policySet: PolicySet, container: Partial<V1Container>): { action: string; message: string }[] {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'debian:12-slim', ...container }] },
  }
  return evaluate({ object }, policySet)
    .findings.filter((finding) => finding.policy === 'miner-signals')
    .map(({ action, message }) => ({ action, message }))
}
