import t from 'tap'
import { loadPolicySet } from '../../src/policy/load.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { startServer } from '../helpers/server.ts'

// A policy with a bug: it throws on any container whose image has no tag.
const throwingPolicy = (action: string, thrown = "new Error('cannot read tag of ' + container.image)") => `
export default {
  id: 'needs-tag', description: 'Has a bug', severity: 'low', action: '${action}', target: 'container', mode: 'validate',
  prepare: () => (container) => {
    if (!container.image.includes(':')) throw ${thrown}
    return []
  },
}
`

t.test('an exception inside a deny policy refuses the request and names the policy (fail closed)', async (t) => {
  const dir = t.testdir({ 'needs-tag.mjs': throwingPolicy('deny') })
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

t.test('an exception inside an audit policy is an audit finding, not a denial', async (t) => {
  const dir = t.testdir({ 'needs-tag.mjs': throwingPolicy('audit') })
  const server = await startServer({ policySet: await loadPolicySet(dir) })
  t.teardown(server.close)
  const review = admissionReview({ object: replicaSetPod([{ name: 'app', image: 'busybox' }]) })
  const { body } = await server.post('/validate', review)
  t.same(body.response, { uid: review.request?.uid, allowed: true, auditAnnotations: { findings: 'needs-tag=audit@spec.containers[0]' } })
  t.match(server.lines.at(-1), {
    msg: 'admission decision',
    decision: {
      allowed: true,
      findings: [
        {
          policy: 'needs-tag',
          action: 'audit',
          message: 'policy needs-tag failed on spec.containers[0] and its action is audit, so it is only reported: cannot read tag of busybox',
        },
      ],
    },
  })
})

t.test('an exception inside a warn policy is a warning that says what was thrown, even when it is not an Error', async (t) => {
  const dir = t.testdir({ 'needs-tag.mjs': throwingPolicy('warn', '42') })
  const server = await startServer({ policySet: await loadPolicySet(dir) })
  t.teardown(server.close)
  const review = admissionReview({ object: replicaSetPod([{ name: 'app', image: 'busybox' }]) })
  const { body } = await server.post('/validate', review)
  t.same(body.response?.warnings, [
    'policy needs-tag failed on spec.containers[0] and its action is warn, so it is only reported: a non-Error value was thrown',
  ])
  t.equal(body.response?.allowed, true)
})

t.test('an unexpected bug outside the policies is answered with a refusal, not a crash', async (t) => {
  const policySet = await loadPolicySet(t.testdir({ 'needs-tag.mjs': throwingPolicy('deny') }))
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
  t.match(server.lines.at(-1), {
    level: 50,
    msg: 'review failed; refusing the request',
    code: 'JACKSTOP_ERR_REVIEW_FAILED',
    err: { message: 'policy store exploded' },
  })
  const after = await server.post('/validate', review)
  t.equal(after.body.response?.allowed, true)
})
