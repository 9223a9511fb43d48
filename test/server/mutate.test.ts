import t, { type Test } from 'tap'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { applyStrict, decodePatch, limitsBelowRequests, preservedPaths } from '../helpers/patch.ts'
import { admissionReview, type ContainerFixture, controller, replicaSetPod } from '../helpers/reviews.ts'
import { startServer } from '../helpers/server.ts'

const server = await startServer()
t.teardown(server.close)

type PodLike = KubeObject & { spec: { containers: ContainerFixture[]; initContainers?: ContainerFixture[]; ephemeralContainers?: ContainerFixture[] } }

async function mutate(object: KubeObject, extra: Parameters<typeof admissionReview>[0] = {}) {
  const review = admissionReview({ object, ...extra })
  const { body } = await server.post('/mutate', review)
  const response = body.response as { allowed: boolean; patch?: string; patchType?: string; warnings?: string[] }
  const patch = response.patch === undefined ? [] : decodePatch(response.patch)
  return { response, patch, patched: applyStrict(object, patch) as PodLike }
}

/** Mutates, then checks what every patch must satisfy: applies strictly, keeps user values, valid, idempotent. */
async function mutateChecked(t: Test, object: KubeObject) {
  const result = await mutate(object)
  t.same(preservedPaths(object, result.patched), [], 'nothing the user set changed')
  t.same(limitsBelowRequests([...result.patched.spec.containers, ...(result.patched.spec.initContainers ?? [])] as never), [], 'no limit below its request')
  const second = await mutate(result.patched)
  t.same(second.patch, [], 'a second pass adds nothing')
  t.equal(second.response.patch, undefined)
  return result
}

const securedDefaults = { capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false }
const defaultResources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } }

t.test('a container with nothing set gets default resources and a locked-down securityContext', async (t) => {
  const { response, patch, patched } = await mutateChecked(t, replicaSetPod([{ name: 'web', image: 'nginx:1.27' }]))
  t.equal(response.patchType, 'JSONPatch')
  t.equal(response.allowed, true)
  t.same(patched.spec.containers[0]?.resources, defaultResources)
  t.same(patched.spec.containers[0]?.securityContext, securedDefaults)
  t.same(response.warnings, [
    'jackstop mutated spec.containers[0]: capabilities.drop=[ALL], allowPrivilegeEscalation=false, requests.cpu=100m, limits.cpu=1, requests.memory=128Mi, limits.memory=512Mi',
  ])
  t.same(patch, [
    { op: 'add', path: '/spec/containers/0/resources/requests', value: { cpu: '100m', memory: '128Mi' } },
    { op: 'add', path: '/spec/containers/0/resources/limits', value: { cpu: '1', memory: '512Mi' } },
    { op: 'add', path: '/spec/containers/0/securityContext', value: securedDefaults },
  ])
})

t.test('securityContext: empty, with add, with an existing drop list', async (t) => {
  const pod = replicaSetPod([
    { name: 'empty', image: 'a:1', securityContext: {} },
    { name: 'adds', image: 'a:1', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } },
    { name: 'drops', image: 'a:1', securityContext: { capabilities: { drop: ['NET_RAW'] }, runAsNonRoot: true } },
    { name: 'all', image: 'a:1', securityContext: { capabilities: { drop: ['all'] }, allowPrivilegeEscalation: true } },
  ])
  const { patched } = await mutateChecked(t, pod)
  t.same(
    patched.spec.containers.map((container) => container.securityContext),
    [
      securedDefaults,
      { capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, allowPrivilegeEscalation: false },
      { capabilities: { drop: ['NET_RAW', 'ALL'] }, runAsNonRoot: true, allowPrivilegeEscalation: false },
      { capabilities: { drop: ['all'] }, allowPrivilegeEscalation: true },
    ],
  )
})

t.test('allowPrivilegeEscalation is not set beside privileged or CAP_SYS_ADMIN, which the API server would reject', async (t) => {
  const pod = replicaSetPod([
    { name: 'priv', image: 'a:1', securityContext: { privileged: true } },
    { name: 'admin', image: 'a:1', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } },
  ])
  const { patched } = await mutateChecked(t, pod)
  t.same(
    patched.spec.containers.map((container) => container.securityContext),
    [{ privileged: true, capabilities: { drop: ['ALL'] } }, { capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] } }],
  )
})

t.test('a request above the default limit raises the new limit to the request and says so', async (t) => {
  const pod = replicaSetPod([{ name: 'big', image: 'a:1', resources: { requests: { cpu: '2', memory: '1.5Gi' } } }])
  const { patched, response } = await mutateChecked(t, pod)
  t.same(patched.spec.containers[0]?.resources, { requests: { cpu: '2', memory: '1.5Gi' }, limits: { cpu: '2', memory: '1536Mi' } })
  t.match(
    response.warnings?.[0],
    /limits\.cpu=2 \(raised to the request, above the default 1\), limits\.memory=1536Mi \(raised to the request, above the default 512Mi\)/,
  )
})

t.test('only requests, only limits, both, none: each resource is completed, never overwritten', async (t) => {
  const pod = replicaSetPod(
    [
      { name: 'requests-only', image: 'a:1', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
      { name: 'limits-only', image: 'a:1', resources: { limits: { cpu: '50m', memory: '2Gi' } } },
      { name: 'both', image: 'a:1', resources: { requests: { cpu: '0.5', memory: '1e9' }, limits: { cpu: '500m', memory: '1G' } } },
      { name: 'none', image: 'a:1' },
    ],
    { initContainers: [{ name: 'init', image: 'busybox:1.36', resources: { limits: { memory: '100Ki' } } }] },
  )
  const { patched } = await mutateChecked(t, pod)
  t.same(
    patched.spec.containers.map((container) => container.resources),
    [
      { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      { limits: { cpu: '50m', memory: '2Gi' }, requests: { cpu: '50m', memory: '128Mi' } },
      { requests: { cpu: '0.5', memory: '1e9' }, limits: { cpu: '500m', memory: '1G' } },
      defaultResources,
    ],
  )
  t.same(patched.spec.initContainers?.[0]?.resources, { limits: { memory: '100Ki', cpu: '1' }, requests: { cpu: '100m', memory: '100Ki' } })
})

t.test('every combination of user requests and limits gives a valid, preserved, idempotent result', async (t) => {
  const choices = [undefined, '10m', '3']
  const memoryChoices = [undefined, '1Mi', '8Gi']
  const containers: ContainerFixture[] = []
  for (const cpuRequest of choices)
    for (const cpuLimit of choices)
      for (const memoryRequest of memoryChoices)
        for (const memoryLimit of memoryChoices) {
          const requests = { ...(cpuRequest && { cpu: cpuRequest }), ...(memoryRequest && { memory: memoryRequest }) }
          const limits = { ...(cpuLimit && { cpu: cpuLimit }), ...(memoryLimit && { memory: memoryLimit }) }
          // The API server refuses a user's own limit below their request before we see it.
          if (cpuRequest && cpuLimit && choices.indexOf(cpuLimit) < choices.indexOf(cpuRequest)) continue
          if (memoryRequest && memoryLimit && memoryChoices.indexOf(memoryLimit) < memoryChoices.indexOf(memoryRequest)) continue
          containers.push({ name: `c${containers.length}`, image: 'a:1', resources: { requests, limits } })
        }
  const { patched } = await mutateChecked(t, replicaSetPod(containers))
  for (const container of patched.spec.containers as unknown as { resources: { requests: object; limits: object } }[]) {
    t.same(Object.keys(container.resources.requests).sort(), ['cpu', 'memory'])
    t.same(Object.keys(container.resources.limits).sort(), ['cpu', 'memory'])
  }
})

t.test('namespace defaults override the global ones field by field', async (t) => {
  const pod = replicaSetPod([{ name: 'job', image: 'a:1' }])
  pod.metadata = { ...pod.metadata, namespace: 'batch' }
  const { patched } = await mutate(pod, { namespace: 'batch' })
  t.same(patched.spec.containers[0]?.resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '4', memory: '4Gi' } })
})

t.test('Windows pods get no Linux-only fields', async (t) => {
  for (const spec of [{ os: { name: 'windows' } }, { nodeSelector: { 'kubernetes.io/os': 'windows' } }]) {
    const pod = replicaSetPod([{ name: 'iis', image: 'mcr.microsoft.com/windows/servercore/iis' }], spec)
    const { patched } = await mutateChecked(t, pod)
    t.equal(patched.spec.containers[0]?.securityContext, undefined)
    t.same(patched.spec.containers[0]?.resources, defaultResources, 'resources are not Linux-only')
  }
})

t.test('controller templates are not mutated, so GitOps tools see no drift', async (t) => {
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']) {
    const { response } = await mutate(controller(kind, 'web', { containers: [{ name: 'web', image: 'nginx:1.27' }] }))
    t.same(Object.keys(response).sort(), ['allowed', 'uid'], kind)
  }
})

t.test('a pod UPDATE (kubectl label) gets no patch: the spec is immutable', async (t) => {
  const pod = replicaSetPod([{ name: 'web', image: 'nginx:1.27' }])
  const { response } = await mutate(pod, { oldObject: pod, operation: 'UPDATE' })
  t.equal(response.patch, undefined)
})

t.test('kubectl debug: only the new ephemeral container gets a securityContext, and no resources', async (t) => {
  const oldObject = replicaSetPod([{ name: 'web', image: 'nginx:1.27', securityContext: { capabilities: { drop: ['ALL'] } } }], {
    ephemeralContainers: [{ name: 'debugger-old', image: 'busybox' }],
  })
  const object = structuredClone(oldObject) as PodLike
  object.spec.ephemeralContainers?.push({ name: 'debugger-new', image: 'busybox', targetContainerName: 'web' })
  const { patch, patched } = await mutate(object, { oldObject, operation: 'UPDATE', subResource: 'ephemeralcontainers' })
  t.same(patch, [{ op: 'add', path: '/spec/ephemeralContainers/1/securityContext', value: securedDefaults }])
  t.equal(patched.spec.ephemeralContainers?.[1]?.resources, undefined)
  t.equal(patched.spec.ephemeralContainers?.[0]?.securityContext, undefined, 'an existing ephemeral container is immutable')
})

t.test('DELETE gets no patch', async (t) => {
  const review = admissionReview({ kind: 'Pod', oldObject: replicaSetPod([{ name: 'web', image: 'nginx' }]), operation: 'DELETE' })
  const { body } = await server.post('/mutate', review)
  t.same(body.response, { uid: review.request?.uid, allowed: true })
})

t.test('audit-only logs the would-be patch and returns none', async (t) => {
  const audit = await startServer({ auditOnly: true })
  t.teardown(audit.close)
  const review = admissionReview({ object: replicaSetPod([{ name: 'web', image: 'nginx:1.27' }]) })
  const { body } = await audit.post('/mutate', review)
  t.same(body.response, {
    uid: review.request?.uid,
    allowed: true,
    warnings: [
      '[audit-only] would mutate spec.containers[0]: capabilities.drop=[ALL], allowPrivilegeEscalation=false, requests.cpu=100m, limits.cpu=1, requests.memory=128Mi, limits.memory=512Mi',
    ],
    auditAnnotations: { patched: '3' },
  })
  t.match(audit.lines.at(-1), {
    decision: {
      phase: 'mutate',
      auditOnly: true,
      patch: [
        { path: '/spec/containers/0/resources/requests' },
        { path: '/spec/containers/0/resources/limits' },
        { path: '/spec/containers/0/securityContext' },
      ],
    },
  })
})
