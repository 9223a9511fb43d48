import t from 'tap'
import { evaluate, type MutationScope } from '../../src/engine/evaluate.ts'
import type { Check, Policy, PolicySet } from '../../src/engine/types.ts'
import { compileExemptions } from '../../src/policy/exemptions.ts'
import { replicaSetPod } from '../helpers/reviews.ts'

function policy(id: string, check: Check, exempt: Parameters<typeof compileExemptions>[0] = {}): Policy {
  return { id, description: id, severity: 'medium', action: 'warn', file: `${id}.ts`, exempt: compileExemptions(exempt), check }
}
const set = (...policies: Policy[]): PolicySet => ({ policies, source: 'test', loadedAt: new Date() })
const everything: MutationScope = { pod: true, container: () => true }

const noToken = policy('no-token', {
  mode: 'mutate',
  target: 'pod',
  run: (draft) => {
    if (draft.automountServiceAccountToken !== undefined) return []
    draft.automountServiceAccountToken = false
    return ['automountServiceAccountToken=false']
  },
})

t.test('a pod-level mutator edits the pod spec and the patch is derived from it', async (t) => {
  const decision = evaluate({ object: replicaSetPod([{ name: 'a', image: 'a:1' }]), mutation: everything }, set(noToken))
  t.same(decision.patch, [{ op: 'add', path: '/spec/automountServiceAccountToken', value: false }])
  t.same(decision.mutations, [{ policy: 'no-token', path: 'spec', description: 'automountServiceAccountToken=false' }])
})

t.test('pod-level mutators do not run when the scope forbids them (kubectl debug)', async (t) => {
  const decision = evaluate({ object: replicaSetPod([{ name: 'a', image: 'a:1' }]), mutation: { pod: false, container: () => true } }, set(noToken))
  t.same(decision.patch, [])
})

t.test('exempt namespaces and images are not mutated', async (t) => {
  const pod = replicaSetPod([{ name: 'a', image: 'registry.k8s.io/pause:3.10' }])
  const tag = policy(
    'tag',
    {
      mode: 'mutate',
      target: 'container',
      run: (draft) => {
        draft.imagePullPolicy = 'Always'
        return ['imagePullPolicy=Always']
      },
    },
    { images: ['registry.k8s.io/*'] },
  )
  t.same(evaluate({ object: pod, mutation: everything }, set(tag)).patch, [])
  t.same(evaluate({ object: pod, namespace: 'kube-system', mutation: everything }, set(policy('n', noToken.check, { namespaces: ['kube-system'] }))).patch, [])
})

t.test("a throwing mutator is a finding with its policy's action (deny fails closed, warn only reports); pod-level mutators run first", async (t) => {
  const broken = policy('broken', {
    mode: 'mutate',
    target: 'container',
    run: () => {
      throw new Error('cannot parse quantity')
    },
  })
  const brokenPod = policy('broken-pod', {
    mode: 'mutate',
    target: 'pod',
    run: () => {
      throw new Error('nope')
    },
  })
  brokenPod.action = 'deny'
  const decision = evaluate({ object: replicaSetPod([{ name: 'a', image: 'a:1' }]), mutation: everything }, set(broken, brokenPod))
  t.same(
    decision.findings.map(({ policy, action, path }) => ({ policy, action, path })),
    [
      { policy: 'broken-pod', action: 'deny', path: 'spec' },
      { policy: 'broken', action: 'warn', path: 'spec.containers[0]' },
    ],
  )
})

t.test('templates are never mutated', async (t) => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } },
  }
  t.same(evaluate({ object: deployment, mutation: everything }, set(noToken)).patch, [])
})

t.test('edits outside securityContext on an ephemeral container are dropped: the API server forbids them', async (t) => {
  const pull = policy('pull', {
    mode: 'mutate',
    target: 'container',
    run: (draft) => {
      draft.imagePullPolicy = 'Always'
      return ['imagePullPolicy=Always']
    },
  })
  const pod = replicaSetPod([{ name: 'a', image: 'a:1', imagePullPolicy: 'Always' }], { ephemeralContainers: [{ name: 'debug', image: 'busybox' }] })
  t.same(evaluate({ object: pod, mutation: { pod: false, container: (container) => container.list === 'ephemeralContainers' } }, set(pull)).patch, [])
})
