// Attacks first (issue 10): a privileged xmrig pod with hostPID and the node's root mounted was
// admitted when its `kind` was missing or its `spec` was an array or a number, and a `kind` of
// `{"toString": 1}` answered HTTP 500. Every such object must be refused, in both phases.
import t from 'tap'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { admissionReview, controller } from '../helpers/reviews.ts'
import { startServer } from '../helpers/server.ts'

const server = await startServer()
t.teardown(server.close)

function evilPod(): Record<string, unknown> & { spec: Record<string, unknown> } {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'evil', namespace: 'shop' },
    spec: {
      hostPID: true,
      containers: [
        {
          name: 'worker',
          image: 'docker.io/xmrig/xmrig:6.21.0',
          args: ['-o', 'pool.supportxmr.com:443'],
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        },
      ],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    },
  }
}

type Corruption = { name: string; corrupt: (pod: ReturnType<typeof evilPod>) => unknown; path: string; problem: string }

const corruptions: Corruption[] = [
  { name: 'spec is an array', corrupt: (pod) => ({ ...pod, spec: [pod.spec] }), path: 'spec', problem: 'spec must be an object, got array' },
  { name: 'spec is a number', corrupt: (pod) => ({ ...pod, spec: 7 }), path: 'spec', problem: 'spec must be an object, got number' },
  { name: 'spec is missing', corrupt: ({ spec: _, ...pod }) => pod, path: 'spec', problem: 'spec is required' },
  { name: 'kind is a toString object', corrupt: (pod) => ({ ...pod, kind: { toString: 1 } }), path: 'kind', problem: 'kind must be a string, got object' },
  {
    name: 'kind names another kind',
    corrupt: (pod) => ({ ...pod, kind: 'ConfigMap' }),
    path: 'kind',
    problem: 'kind is "ConfigMap" but the API server reviews it as Pod',
  },
  {
    name: 'containers is an object',
    corrupt: (pod) => ({ ...pod, spec: { ...pod.spec, containers: { 0: (pod.spec.containers as unknown[])[0] } } }),
    path: 'spec.containers',
    problem: 'spec.containers must be a list, got object',
  },
  {
    name: 'the miner hides in initContainers given as a number',
    corrupt: (pod) => ({ ...pod, spec: { ...pod.spec, initContainers: 1 } }),
    path: 'spec.initContainers',
    problem: 'spec.initContainers must be a list, got number',
  },
  {
    name: 'securityContext is a string',
    corrupt: (pod) => {
      const [container] = pod.spec.containers as Record<string, unknown>[]
      return { ...pod, spec: { ...pod.spec, containers: [{ ...container, securityContext: 'privileged' }] } }
    },
    path: 'spec.containers[0].securityContext',
    problem: 'spec.containers[0].securityContext must be an object, got string',
  },
  {
    name: 'privileged is the string "true"',
    corrupt: (pod) => {
      const [container] = pod.spec.containers as Record<string, unknown>[]
      return { ...pod, spec: { ...pod.spec, containers: [{ ...container, securityContext: { privileged: 'true' } }] } }
    },
    path: 'spec.containers[0].securityContext.privileged',
    problem: 'spec.containers[0].securityContext.privileged must be a boolean, got string',
  },
  {
    name: 'env is an object',
    corrupt: (pod) => {
      const [container] = pod.spec.containers as Record<string, unknown>[]
      return { ...pod, spec: { ...pod.spec, containers: [{ ...container, env: { POOL: 'pool.supportxmr.com' } }] } }
    },
    path: 'spec.containers[0].env',
    problem: 'spec.containers[0].env must be a list, got object',
  },
  {
    name: 'a port number is a string',
    corrupt: (pod) => {
      const [container] = pod.spec.containers as Record<string, unknown>[]
      return { ...pod, spec: { ...pod.spec, containers: [{ ...container, ports: [{ containerPort: '3333' }] }] } }
    },
    path: 'spec.containers[0].ports[0].containerPort',
    problem: 'spec.containers[0].ports[0].containerPort must be an integer, got string',
  },
  {
    name: 'volumes is an object',
    corrupt: (pod) => ({ ...pod, spec: { ...pod.spec, volumes: { host: { hostPath: { path: '/' } } } } }),
    path: 'spec.volumes',
    problem: 'spec.volumes must be a list, got object',
  },
  {
    name: 'the hostPath path is a list',
    corrupt: (pod) => ({ ...pod, spec: { ...pod.spec, volumes: [{ name: 'host', hostPath: { path: ['/'] } }] } }),
    path: 'spec.volumes[0].hostPath.path',
    problem: 'spec.volumes[0].hostPath.path must be a string, got array',
  },
  {
    name: 'hostPID is the number 1',
    corrupt: (pod) => ({ ...pod, spec: { ...pod.spec, hostPID: 1 } }),
    path: 'spec.hostPID',
    problem: 'spec.hostPID must be a boolean, got number',
  },
  {
    name: 'metadata.name is a toString object',
    corrupt: (pod) => ({ ...pod, metadata: { namespace: 'shop', name: { toString: 1 } } }),
    path: 'metadata.name',
    problem: 'metadata.name must be a string, got object',
  },
  {
    name: 'a label value is a number',
    corrupt: (pod) => ({ ...pod, metadata: { ...(pod.metadata as object), labels: { 'app.kubernetes.io/name': 7 } } }),
    path: 'metadata.labels["app.kubernetes.io/name"]',
    problem: 'metadata.labels["app.kubernetes.io/name"] must be a string, got number',
  },
]

function refusal(uid: string | undefined, subject: string, kind: string, path: string, problem: string) {
  return {
    uid,
    allowed: false,
    status: {
      code: 403,
      reason: 'Forbidden',
      message: `jackstop refused ${subject}: ${problem}; this cannot be a valid ${kind}, so it is refused unreviewed (JACKSTOP_ERR_OBJECT_MALFORMED)`,
    },
    auditAnnotations: { findings: `object-shape=deny@${path}` },
  }
}

for (const phase of ['validate', 'mutate']) {
  for (const { name, corrupt, path, problem } of corruptions) {
    t.test(`/${phase}: a privileged xmrig pod whose ${name} is refused, naming ${path}`, async (t) => {
      const review = admissionReview({ kind: 'Pod', object: corrupt(evilPod()) as KubeObject, namespace: 'shop' })
      if (review.request !== undefined) review.request.name = 'evil'
      const { status, body } = await server.post(`/${phase}`, review)
      t.equal(status, 200)
      t.same(body.response, refusal(review.request?.uid, 'Pod shop/evil', 'Pod', path, problem))
    })
  }
}

t.test('a pod without kind is judged as the Pod the API server says it is, and refused for what it does', async (t) => {
  const { kind: _, ...pod } = evilPod()
  const review = admissionReview({ kind: 'Pod', object: pod as KubeObject })
  const { body } = await server.post('/validate', review)
  t.equal(body.response?.allowed, false)
  t.same(String((body.response?.auditAnnotations as { findings?: string } | undefined)?.findings).split(','), [
    'host-namespaces=deny@spec.hostPID',
    'host-path-escapes=deny@spec.volumes[0].hostPath.path',
    'miner-images=deny@spec.containers[0].image',
    'miner-signals=deny@spec.containers[0].args[1]',
    'privileged=deny@spec.containers[0].securityContext.privileged',
  ])
  t.match(body.response?.status, { code: 403, message: /miner-images/ })
})

t.test('a mutated pod without kind gets its limits like any other pod', async (t) => {
  const pod = { apiVersion: 'v1', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }
  const { body } = await server.post('/mutate', admissionReview({ kind: 'Pod', object: pod as KubeObject }))
  t.equal(body.response?.allowed, true)
  t.equal(body.response?.patchType, 'JSONPatch')
})

t.test('a Deployment whose pod template spec is an array is refused at the template path', async (t) => {
  const deployment = controller('Deployment', 'miner', evilPod().spec) as { spec: { template: Record<string, unknown> } }
  deployment.spec.template.spec = [deployment.spec.template.spec]
  const review = admissionReview({ object: deployment as unknown as KubeObject })
  const { body } = await server.post('/validate', review)
  t.same(
    body.response,
    refusal(review.request?.uid, 'Deployment shop/miner', 'Deployment', 'spec.template.spec', 'spec.template.spec must be an object, got array'),
  )
})

t.test('a CronJob without a job template is refused', async (t) => {
  const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick', namespace: 'shop' }, spec: { schedule: '* * * * *' } }
  const review = admissionReview({ object: cronJob })
  const { body } = await server.post('/validate', review)
  t.same(body.response, refusal(review.request?.uid, 'CronJob shop/tick', 'CronJob', 'spec.jobTemplate', 'spec.jobTemplate is required'))
})

t.test('a ConfigMap whose data holds a number or a list is refused, naming the key', async (t) => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { 'config.json': { url: 'stratum+tcp://x' } } }
  const review = admissionReview({ object: configMap })
  const { body } = await server.post('/validate', review)
  t.same(
    body.response,
    refusal(review.request?.uid, 'ConfigMap shop/cfg', 'ConfigMap', 'data["config.json"]', 'data["config.json"] must be a string, got object'),
  )
  const binary = admissionReview({ object: { ...configMap, data: {}, binaryData: { blob: 12 } } })
  t.match((await server.post('/validate', binary)).body.response, { allowed: false, auditAnnotations: { findings: 'object-shape=deny@binaryData["blob"]' } })
})

t.test('an update whose old object is malformed is refused, naming oldObject', async (t) => {
  const pod = evilPod()
  const review = admissionReview({ object: pod, oldObject: { ...pod, spec: 'gone' }, operation: 'UPDATE' })
  const { body } = await server.post('/validate', review)
  t.match(body.response, {
    allowed: false,
    status: { message: /oldObject\.spec must be an object, got string; this cannot be a valid Pod/ },
    auditAnnotations: { findings: 'object-shape=deny@oldObject.spec' },
  })
})

t.test('a malformed object is logged as one refused decision and counted by the shape check', async (t) => {
  const review = admissionReview({ kind: 'Pod', object: { ...evilPod(), spec: [] } as KubeObject })
  await server.post('/validate', review)
  t.match(server.lines.at(-1), {
    msg: 'admission decision',
    decision: { uid: review.request?.uid, allowed: false, findings: [{ policy: 'object-shape', path: 'spec' }] },
  })
  const metrics = await server.get('/metrics')
  t.match(metrics.text, /jackstop_findings_total\{policy="object-shape",action="deny"\} [1-9]/)
})

t.test('in --audit-only a malformed object is admitted with the would-be refusal as a warning', async (t) => {
  const auditing = await startServer({ auditOnly: true })
  t.teardown(auditing.close)
  const { body } = await auditing.post('/validate', admissionReview({ kind: 'Pod', object: { ...evilPod(), spec: 7 } as KubeObject }))
  t.match(body.response, { allowed: true, warnings: [/^\[audit-only\] would deny: spec must be an object, got number; this cannot be a valid Pod/] })
})
