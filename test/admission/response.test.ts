// The warning a mutated pod carries names each edited path once, with its edits in the order made.
import t from 'tap'
import { describeMutations } from '../../src/admission/response.ts'

const edit = (path: string, description: string, policy = 'resource-limits') => ({ policy, path, description })

t.test("a container's edits are listed under its path, paths in the order first edited", async (t) => {
  const text = describeMutations([
    edit('spec.containers[1]', 'capabilities.drop=[ALL]', 'drop-capabilities'),
    edit('spec.containers[1]', 'limits.cpu=1'),
    edit('spec.containers[0]', 'limits.cpu=1'),
  ])
  t.equal(text, 'spec.containers[1]: capabilities.drop=[ALL], limits.cpu=1; spec.containers[0]: limits.cpu=1')
})

t.test('edits of one path that come back after another path are still listed under it once', async (t) => {
  const text = describeMutations([
    edit('spec', 'runtimeClassName=gvisor'),
    edit('spec.containers[0]', 'limits.cpu=1'),
    edit('spec', 'automountServiceAccountToken=false'),
  ])
  t.equal(text, 'spec: runtimeClassName=gvisor, automountServiceAccountToken=false; spec.containers[0]: limits.cpu=1')
})

t.test('no edits describe as nothing', async (t) => {
  t.equal(describeMutations([]), '')
})
