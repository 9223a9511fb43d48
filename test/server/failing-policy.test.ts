import t from 'tap'
import { loadPolicySet } from '../../src/policy/load.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { startServer } from '../helpers/server.ts'

// A policy with a bug: it throws on any container whose image has no tag.
const throwingPolicy = `
export default {
  id: 'needs-tag', description: 'Has a bug', severity: 'low', action: 'warn', target: 'container', mode: 'validate',
  prepare: () => (container) => {
    if (!container.image.includes(':')) throw new Error('cannot read tag of ' + container.image)
    return []
  },
}
`

t.test('an exception inside a policy refuses the request and names the policy (fail closed)', async (t) => {
  const dir = t.testdir({ 'needs-tag.mjs': throwingPolicy })
  const server = await startServer({ policySet: await loadPolicySet(dir) })
  t.teardown(server.close)
  const review = admissionReview({ object: replicaSetPod([{ name: 'app', image: 'busybox' }]) })
  const { status, body } = await server.post('/validate', review)
  t.equal(status, 200)
  t.same(body.response?.status, {
    code: 403,
    reason: 'Forbidden',
    message:
      'jackstop refused Pod shop/web-7d4b9c8f6d-*: policy needs-tag failed on spec.containers[0] and the request is refused rather than admitted unchecked: cannot read tag of busybox',
  })
  const ok = await server.post('/validate', admissionReview({ object: replicaSetPod([{ name: 'app', image: 'busybox:1.36' }]) }))
  t.equal(ok.body.response?.allowed, true, 'the server keeps serving')
})

t.test('an unexpected bug outside the policies is answered with a refusal, not a crash', async (t) => {
  const policySet = await loadPolicySet(t.testdir({ 'needs-tag.mjs': throwingPolicy }))
  let calls = 0
  const server = await startServer({
    policies: {
      current: () => {
        calls += 1
        if (calls === 1) throw new TypeError('policy store exploded')
        return policySet
      },
    },
  })
  t.teardown(server.close)
  const review = admissionReview({ object: replicaSetPod([{ name: 'app', image: 'busybox:1.36' }]) })
  const { body } = await server.post('/validate', review)
  t.same(body.response, {
    uid: review.request?.uid,
    allowed: false,
    status: { code: 500, message: 'jackstop could not review this request and refuses it (fail closed); see the jackstop log' },
  })
  t.match(server.lines.at(-1), { level: 50, msg: 'review failed; refusing the request', err: { message: 'policy store exploded' } })
  const after = await server.post('/validate', review)
  t.equal(after.body.response?.allowed, true)
})
