import t from 'tap'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { startServer } from '../helpers/server.ts'

const server = await startServer({ auditOnly: true })
t.teardown(server.close)

const miner = { name: 'worker', image: 'docker.io/xmrig/xmrig:6.21.0', securityContext: { privileged: true } }

t.test('audit-only admits a miner, returns the would-be denials as warnings and logs them', async (t) => {
  const review = admissionReview({ object: replicaSetPod([miner]) })
  const { body } = await server.post('/validate', review)
  t.same(body.response, {
    uid: review.request?.uid,
    allowed: true,
    warnings: [
      '[audit-only] would deny: spec.containers[0] "worker": image "docker.io/xmrig/xmrig:6.21.0" is a known crypto-miner image (Sysdig, 2022-11) (miner-images)',
      '[audit-only] would deny: spec.containers[0] "worker": securityContext.privileged: privileged containers can take over the node (privileged)',
    ],
    auditAnnotations: {
      findings: 'miner-images=deny@spec.containers[0].image,privileged=deny@spec.containers[0].securityContext.privileged',
      requester: 'alice@example.com',
    },
  })
  t.match(server.lines.at(-1), {
    msg: 'admission decision',
    decision: { uid: review.request?.uid, auditOnly: true, allowed: true, findings: [{ policy: 'miner-images' }, { policy: 'privileged' }] },
  })
})

t.test('audit-only logs a decision line for every review, even a clean one', async (t) => {
  const review = admissionReview({ object: replicaSetPod([{ name: 'web', image: 'nginx:1.27' }]) })
  const before = server.lines.length
  const { body } = await server.post('/validate', review)
  t.same(body.response, { uid: review.request?.uid, allowed: true })
  t.equal(server.lines.length, before + 1)
  t.match(server.lines.at(-1), { decision: { uid: review.request?.uid, auditOnly: true, findings: [] } })
})

t.test('namespaces sent to /validate/audit are audited even when the server enforces', async (t) => {
  const enforcing = await startServer()
  t.teardown(enforcing.close)
  const review = admissionReview({ object: replicaSetPod([miner]) })
  const enforced = await enforcing.post('/validate', review)
  const audited = await enforcing.post('/validate/audit', review)
  t.equal(enforced.body.response?.allowed, false)
  t.equal(audited.body.response?.allowed, true)
  t.equal((audited.body.response?.warnings as string[] | undefined)?.length, 2)
})
