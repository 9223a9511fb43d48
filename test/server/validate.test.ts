import t from 'tap'
import { admissionReview, controller, replicaSetPod } from '../helpers/reviews.ts'
import { postHttp2, startServer } from '../helpers/server.ts'

const server = await startServer()
t.teardown(server.close)

const miner = { name: 'worker', image: 'docker.io/xmrig/xmrig:6.21.0' }
const web = { name: 'web', image: 'nginx:1.27' }

t.test('a pod with a known miner image is refused with the policy, path and container named', async (t) => {
  const review = admissionReview({ object: replicaSetPod([web, miner]) })
  const { status, body } = await server.post('/validate?timeout=10s', review)
  t.equal(status, 200)
  t.same(body, {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid: review.request?.uid,
      allowed: false,
      status: {
        code: 403,
        reason: 'Forbidden',
        message:
          'jackstop refused Pod shop/web-7d4b9c8f6d-*: spec.containers[1] "worker": image "docker.io/xmrig/xmrig:6.21.0" is a known crypto-miner image (Sysdig, 2022-11) (miner-images)',
      },
      auditAnnotations: { findings: 'miner-images=deny@spec.containers[1].image', requester: 'alice@example.com' },
    },
  })
})

t.test('a plain web pod is admitted with nothing to say', async (t) => {
  const review = admissionReview({ object: replicaSetPod([web]) })
  const { body } = await server.post('/validate', review)
  t.same(body.response, { uid: review.request?.uid, allowed: true })
})

t.test('every violated policy is named in one denial', async (t) => {
  const pod = replicaSetPod([{ ...miner, securityContext: { privileged: true } }], { hostPID: true })
  const { body } = await server.post('/validate', admissionReview({ object: pod }))
  const status = body.response?.status as { message: string }
  t.equal(
    status.message,
    "jackstop refused Pod shop/web-7d4b9c8f6d-*: spec.hostPID: sharing the host's namespaces exposes the node (host-namespaces); " +
      'spec.containers[0] "worker": image "docker.io/xmrig/xmrig:6.21.0" is a known crypto-miner image (Sysdig, 2022-11) (miner-images); ' +
      'spec.containers[0] "worker": securityContext.privileged: privileged containers can take over the node (privileged)',
  )
})

for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']) {
  t.test(`a ${kind} whose pod template runs a miner is refused at the template path`, async (t) => {
    const object = controller(kind, 'batch-worker', { containers: [web], initContainers: [{ name: 'setup', image: 'metal3d/xmrig' }] })
    const { body } = await server.post('/validate', admissionReview({ object }))
    const templatePath = kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec'
    t.same(body.response?.auditAnnotations, { findings: `miner-images=deny@${templatePath}.initContainers[0].image`, requester: 'alice@example.com' })
    t.equal(body.response?.allowed, false)
  })
}

t.test('kubectl debug: an ephemeral miner container added through the subresource is refused', async (t) => {
  const oldObject = replicaSetPod([web])
  const object = replicaSetPod([web], {
    ephemeralContainers: [
      { name: 'debugger-x7k2p', image: 'alpine:3.20' },
      { name: 'debugger-q9', image: 'xmrig/xmrig' },
    ],
  })
  const review = admissionReview({ object, oldObject, operation: 'UPDATE', subResource: 'ephemeralcontainers' })
  const { body } = await server.post('/validate', review)
  t.equal(body.response?.allowed, false)
  t.same(body.response?.auditAnnotations, { findings: 'miner-images=deny@spec.ephemeralContainers[1].image', requester: 'alice@example.com' })
})

t.test('an update that leaves the spec as it was (kubectl label) is admitted with a warning', async (t) => {
  const oldObject = controller('Deployment', 'legacy', { containers: [miner] })
  const object = structuredClone(oldObject)
  object.metadata = { ...object.metadata, labels: { team: 'payments' } }
  const { body } = await server.post('/validate', admissionReview({ object, oldObject, operation: 'UPDATE' }))
  t.same(body.response?.allowed, true)
  t.same(body.response?.warnings, [
    'spec.template.spec.containers[0] "worker": image "docker.io/xmrig/xmrig:6.21.0" is a known crypto-miner image (Sysdig, 2022-11) (miner-images) [unchanged by this update, admitted]',
  ])
  t.match(server.lines.at(-1), {
    msg: 'admission decision',
    decision: { operation: 'UPDATE', allowed: true, findings: [{ policy: 'miner-images', action: 'warn' }] },
  })
})

t.test('an update that changes the spec is judged in full', async (t) => {
  const oldObject = controller('Deployment', 'legacy', { containers: [miner] })
  const object = controller('Deployment', 'legacy', { containers: [{ ...miner, image: 'xmrig/xmrig:6.22.0' }] })
  const { body } = await server.post('/validate', admissionReview({ object, oldObject, operation: 'UPDATE' }))
  t.equal(body.response?.allowed, false)
})

t.test('DELETE and CONNECT are admitted untouched', async (t) => {
  for (const operation of ['DELETE', 'CONNECT'] as const) {
    const review = admissionReview({ kind: 'Pod', oldObject: operation === 'DELETE' ? replicaSetPod([miner]) : null, operation })
    const { body } = await server.post('/validate', review)
    t.same(body.response, { uid: review.request?.uid, allowed: true }, operation)
  }
})

t.test('a dry-run request gets the same answer and is logged as a dry run', async (t) => {
  const review = admissionReview({ object: replicaSetPod([miner]), dryRun: true })
  const { body } = await server.post('/validate', review)
  t.equal(body.response?.allowed, false)
  t.match(server.lines.at(-1), { decision: { uid: review.request?.uid, dryRun: true } })
})

t.test('a refused review logs one decision line with who, what and why', async (t) => {
  const review = admissionReview({ object: replicaSetPod([miner]) })
  const before = server.lines.length
  await server.post('/validate', review)
  const logged = server.lines.slice(before)
  t.equal(logged.length, 1)
  t.same(logged[0]?.decision, {
    uid: review.request?.uid,
    phase: 'validate',
    operation: 'CREATE',
    kind: 'Pod',
    namespace: 'shop',
    name: 'web-7d4b9c8f6d-*',
    user: 'alice@example.com',
    requester: { username: 'alice@example.com', groups: ['system:authenticated'], viaController: false },
    dryRun: false,
    auditOnly: false,
    allowed: false,
    findings: [
      {
        policy: 'miner-images',
        action: 'deny',
        path: 'spec.containers[0].image',
        message: 'spec.containers[0] "worker": image "docker.io/xmrig/xmrig:6.21.0" is a known crypto-miner image (Sysdig, 2022-11) (miner-images)',
      },
    ],
    patch: [],
  })
})

t.test('an admitted review without findings logs nothing', async (t) => {
  const before = server.lines.length
  await server.post('/validate', admissionReview({ object: replicaSetPod([web]) }))
  t.equal(server.lines.length, before)
})

t.test('HTTP/2 is offered through ALPN and answers the same', async (t) => {
  const review = admissionReview({ object: replicaSetPod([miner]) })
  const { status, body } = await postHttp2(server.port, '/validate', review)
  t.equal(status, 200)
  t.equal((body.response as { allowed: boolean }).allowed, false)
})

t.test('health and readiness answer for probes', async (t) => {
  t.same((await server.get('/healthz')).body, { status: 'ok' })
  t.same((await server.get('/readyz')).body, { status: 'ready', policies: 13 })
})
