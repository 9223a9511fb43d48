import t from 'tap'
import type { Finding, Policy } from '../../src/engine/types.ts'
import { planRemediations } from '../../src/remediate/plan.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

const finding = (policy: string, action: Finding['action'] = 'deny'): Finding => ({
  policy,
  action,
  severity: 'high',
  path: 'spec',
  message: `${policy} found`,
})
const policies = new Map([
  ['miner-images', { remediate: 'scale-to-zero' } as Policy],
  ['miner-signals', { remediate: 'none' } as Policy],
  ['miner-quiet', {} as Policy],
  ['privileged', { remediate: 'evict' } as Policy],
])
const owned = (kind: string, name: string, owner?: { kind: string; name: string }): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    namespace: 'shop',
    uid: name,
    ...(owner === undefined ? {} : { ownerReferences: [{ apiVersion: 'v1', kind: owner.kind, name: owner.name, uid: owner.name, controller: true }] }),
  },
})

function plan(objects: KubeObject[], findings: Record<string, Finding[]>, namespace = 'shop') {
  return planRemediations({
    namespace,
    objects,
    findingsOf: (object) => findings[object.metadata?.name as string] ?? [],
    policies,
    protectedNamespaces: new Set(['kube-system']),
    minerPolicy: 'miner',
    isMinerSignal: (entry) => entry.policy.startsWith('miner-'),
  }).map((entry) => `${entry.action} ${entry.target.kind}/${entry.target.name} (${entry.policy})`)
}

t.test('scaling acts on the top controller in the cache; eviction on pods only; once per target', async (t) => {
  const objects = [
    owned('Deployment', 'web'),
    owned('ReplicaSet', 'web-1', { kind: 'Deployment', name: 'web' }),
    owned('Pod', 'web-1-a', { kind: 'ReplicaSet', name: 'web-1' }),
    owned('Pod', 'web-1-b', { kind: 'ReplicaSet', name: 'web-1' }),
  ]
  t.same(plan(objects, { web: [finding('miner-images')], 'web-1-a': [finding('miner-images'), finding('privileged')], 'web-1-b': [finding('privileged')] }), [
    'scale-to-zero Deployment/web (miner-images)',
    'evict Pod/web-1-a (privileged)',
    'evict Pod/web-1-b (privileged)',
  ])
  t.same(plan(objects, { web: [finding('privileged')] }), [], 'a Deployment is not evicted')
})

t.test('only deny findings act; a miner finding acts with the first signal policy that says how', async (t) => {
  const pod = [owned('Pod', 'p')]
  t.same(plan(pod, { p: [finding('miner-images', 'warn'), finding('privileged', 'audit')] }), [], 'softened findings are reported, not acted on')
  t.same(plan(pod, { p: [finding('miner-signals', 'warn'), finding('miner-quiet', 'warn'), finding('miner')] }), [], 'signal policies without an action: none')
  t.same(plan(pod, { p: [finding('miner-signals', 'warn'), finding('miner-images', 'warn'), finding('miner')] }), ['scale-to-zero Pod/p (miner-images)'])
  t.same(plan(pod, { p: [finding('unknown-policy')] }), [])
  t.same(plan(pod, { p: [finding('miner-images')] }, 'kube-system'), [], 'a protected namespace is never planned for')
})

t.test('an owner chain that loops ends after five steps instead of hanging', async (t) => {
  const objects = [owned('ReplicaSet', 'a', { kind: 'ReplicaSet', name: 'b' }), owned('ReplicaSet', 'b', { kind: 'ReplicaSet', name: 'a' })]
  t.same(plan(objects, { a: [finding('miner-images')] }), ['scale-to-zero ReplicaSet/b (miner-images)'])
})
