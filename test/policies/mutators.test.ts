import t from 'tap'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { defaultPolicies } from '../helpers/server.ts'

const defaults = await defaultPolicies()
const only = (id: string): PolicySet => ({ ...defaults, policies: defaults.policies.filter((policy) => policy.id === id) })
const everything = { pod: true, container: () => true }

function pod(container: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'a:1', ...container }] } }
}

t.test('no-privilege-escalation alone creates the securityContext it needs', async (t) => {
  t.same(evaluate({ object: pod({}), mutation: everything }, only('no-privilege-escalation')).patch, [
    { op: 'add', path: '/spec/containers/0/securityContext', value: { allowPrivilegeEscalation: false } },
  ])
})

t.test('resource-limits without a namespace uses the global defaults', async (t) => {
  const { patch } = evaluate({ object: pod({ resources: { limits: { cpu: '2' } } }), mutation: everything }, only('resource-limits'))
  t.same(patch, [
    { op: 'add', path: '/spec/containers/0/resources/limits/memory', value: '512Mi' },
    { op: 'add', path: '/spec/containers/0/resources/requests', value: { cpu: '100m', memory: '128Mi' } },
  ])
})

t.test('miner-images ignores a container without an image (the API server reports that itself)', async (t) => {
  t.same(evaluate({ object: pod({ image: undefined }) }, only('miner-images')).findings, [])
})
