import t from 'tap'
import type { Policy, PolicySet } from '../../src/engine/types.ts'
import { compileExemptions } from '../../src/policy/exemptions.ts'
import { groupScanResults } from '../../src/scan/group.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

const everything: Policy = {
  id: 'flag',
  description: 'flags every container',
  severity: 'low',
  action: 'deny',
  file: 'flag.ts',
  exempt: compileExemptions(),
  check: { mode: 'validate', target: 'container', run: () => [{ message: 'flagged' }] },
}
const set: PolicySet = { policies: [everything], source: 'test', loadedAt: new Date() }
const spec = { containers: [{ name: 'c', image: 'a:1' }] }

t.test('pods are grouped under the top of their owner chain; templates of owned controllers are not repeated', async (t) => {
  const objects = [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'ops', uid: 'cj' },
      spec: { jobTemplate: { spec: { template: { spec } } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'nightly-1', namespace: 'ops', uid: 'j1', ownerReferences: [{ kind: 'CronJob', name: 'nightly', uid: 'cj', controller: true }] },
      spec: { template: { spec } },
    },
    ...[1, 2].map((index) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `nightly-1-${index}`, namespace: 'ops', uid: `p${index}`, ownerReferences: [{ kind: 'Job', name: 'nightly-1', uid: 'j1' }] },
      spec,
    })),
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan-owned', namespace: 'ops', ownerReferences: [{ kind: 'StatefulSet', name: 'db' }] }, spec },
    { apiVersion: 'v1', kind: 'Pod', metadata: { ownerReferences: [{}] }, spec },
    { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec },
  ] as unknown as KubeObject[]
  t.same(
    groupScanResults(objects, set).map(({ kind, namespace, name, count, source }) => ({ kind, namespace, name, count, source })),
    [
      { kind: 'CronJob', namespace: 'ops', name: 'nightly', count: undefined, source: 'cluster' },
      { kind: 'Pod', namespace: 'ops', name: 'nightly-*', count: 2, source: 'pods of CronJob ops/nightly' },
      { kind: 'Pod', namespace: 'ops', name: 'db-*', count: 1, source: 'pods of StatefulSet ops/db' },
      { kind: 'Pod', namespace: undefined, name: '-*', count: 1, source: 'pods of Unknown ' },
      { kind: 'Pod', namespace: undefined, name: '', count: undefined, source: 'cluster' },
    ],
  )
})
