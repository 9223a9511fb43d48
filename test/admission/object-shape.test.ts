import { readdir, readFile } from 'node:fs/promises'
import fc from 'fast-check'
import t from 'tap'
import { parse } from 'yaml'
import { describeValue } from '../../src/admission/describe-value.ts'
import { objectShapeProblem, SHAPED_KINDS, shapeProblemByWalk } from '../../src/admission/object-shape.ts'
import { REVIEWED_KINDS } from '../../src/admission/supported-kinds.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { pathsOf } from '../helpers/object-paths.ts'
import { controller, replicaSetPod } from '../helpers/reviews.ts'

t.test('every reviewed kind has a shape, so none is judged without one', async (t) => {
  t.same([...SHAPED_KINDS].sort(), [...REVIEWED_KINDS].sort())
  t.same(objectShapeProblem('Service', {}), { path: 'kind', message: 'jackstop has no shape for Service' })
  t.equal(shapeProblemByWalk('Service', {}), undefined)
})

t.test('valid objects pass: the shipped examples and every corpus pod and ConfigMap', async (t) => {
  const examples = new URL('../../examples/', import.meta.url)
  for (const file of (await readdir(examples)).filter((name) => name.endsWith('.json'))) {
    const review = JSON.parse(await readFile(new URL(file, examples), 'utf8')) as { request: { kind: { kind: string }; object: unknown } }
    t.equal(objectShapeProblem(review.request.kind.kind, review.request.object), undefined, file)
  }
  for (const file of ['benign.yaml', 'miners.yaml']) {
    const cases = parse(await readFile(new URL(`../corpus/${file}`, import.meta.url), 'utf8')) as {
      name: string
      container?: object
      pod?: object
      configMap?: object
    }[]
    for (const entry of cases) {
      const object =
        entry.configMap === undefined
          ? { kind: 'Pod', metadata: { name: 'case' }, spec: entry.pod ?? { containers: [{ name: 'main', ...entry.container }] } }
          : { kind: 'ConfigMap', metadata: { name: 'case' }, data: entry.configMap }
      t.equal(objectShapeProblem(object.kind, object), undefined, `${file}: ${entry.name}`)
    }
  }
})

/** A pod as the API server sends it, with every field the shape checks set. */
function fullPod() {
  const container = {
    name: 'app',
    image: 'registry.example.com/app:1.0',
    command: ['/app'],
    args: ['--port=8080'],
    env: [
      { name: 'A', value: '1' },
      { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    envFrom: [{ configMapRef: { name: 'cfg' } }],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: { limits: { cpu: '500m', memory: 268435456 }, requests: { cpu: 0.25 } },
    securityContext: { runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
  }
  const pod = replicaSetPod([container], {
    initContainers: [{ ...container, name: 'init' }],
    volumes: [
      { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } },
    ],
    securityContext: { fsGroup: 2000, supplementalGroups: [3000], sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    overhead: { cpu: '100m' },
    os: { name: 'linux' },
  })
  return pod
}

t.test('a full pod as the API server sends it passes, with every checked field set', async (t) => {
  const pod = fullPod()
  t.equal(objectShapeProblem('Pod', pod), undefined)
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']) {
    t.equal(objectShapeProblem(kind, controller(kind, 'web', pod.spec as Record<string, unknown>)), undefined, kind)
  }
  t.equal(objectShapeProblem('PodTemplate', { kind: 'PodTemplate', metadata: { name: 'web' }, template: { spec: pod.spec } }), undefined)
})

t.test('the first wrong type is named by its full path, whatever the nesting', async (t) => {
  const cases: [string, unknown, string][] = [
    ['Pod', [], 'the object must be an object, got array'],
    [
      'Pod',
      { metadata: {}, spec: { containers: [{ name: 'a', resources: { limits: { cpu: true } } }] } },
      'spec.containers[0].resources.limits["cpu"] must be a quantity (a string or a number), got boolean',
    ],
    [
      'Pod',
      { metadata: {}, spec: { containers: [{ name: 'a', resources: { limits: { cpu: Number.POSITIVE_INFINITY } } }] } },
      'spec.containers[0].resources.limits["cpu"] must be a quantity (a string or a number), got number',
    ],
    ['Pod', { metadata: {}, spec: { containers: [{ name: 'a', env: [{ value: 'x' }] }] } }, 'spec.containers[0].env[0].name is required'],
    ['Pod', { metadata: {}, spec: { containers: [{ image: 'a' }] } }, 'spec.containers[0].name is required'],
    ['Pod', { metadata: {}, spec: { containers: [], securityContext: { runAsUser: 1.5 } } }, 'spec.securityContext.runAsUser must be an integer, got number'],
    [
      'Pod',
      { metadata: {}, spec: { containers: [], securityContext: { runAsUser: 2 ** 64 } } },
      'spec.securityContext.runAsUser must be an integer, got number',
    ],
    ['Pod', { metadata: {}, spec: { containers: [], affinity: 'anywhere' } }, 'spec.affinity must be an object, got string'],
    ['Pod', { metadata: {}, spec: { containers: [], tolerations: [null] } }, 'spec.tolerations[0] must be an object, got null'],
    ['Pod', { metadata: {}, spec: { containers: [{ name: 'a', command: ['sh', 1] }] } }, 'spec.containers[0].command[1] must be a string, got number'],
    [
      'Pod',
      { metadata: {}, spec: { containers: [{ name: 'a', securityContext: { capabilities: { add: 'SYS_ADMIN' } } }] } },
      'spec.containers[0].securityContext.capabilities.add must be a list, got string',
    ],
    [
      'Pod',
      { metadata: {}, spec: { containers: [], ephemeralContainers: [{ name: 'debug', targetContainerName: 7 }] } },
      'spec.ephemeralContainers[0].targetContainerName must be a string, got number',
    ],
    ['Pod', { metadata: {}, spec: { containers: [], volumes: [{ name: 'v', hostPath: {} }] } }, 'spec.volumes[0].hostPath.path is required'],
    ['Pod', { metadata: { annotations: { a: null } }, spec: { containers: [] } }, 'metadata.annotations["a"] must be a string, got null'],
    ['ReplicaSet', { metadata: {}, spec: { template: { metadata: [], spec: { containers: [] } } } }, 'spec.template.metadata must be an object, got array'],
    ['PodTemplate', { metadata: {}, template: {} }, 'template.spec is required'],
    ['ConfigMap', { metadata: {}, immutable: 'yes' }, 'immutable must be a boolean, got string'],
  ]
  for (const [kind, object, message] of cases) t.equal(objectShapeProblem(kind, object)?.message, message, message)
})

t.test('values are described for messages without calling anything they carry', async (t) => {
  t.equal(describeValue({ toString: 1, valueOf: 1 }), 'an object')
  t.equal(describeValue([1]), 'an array')
  t.equal(describeValue(null), 'null')
  t.equal(describeValue(undefined), 'nothing')
  t.equal(describeValue(3), '3')
  t.equal(describeValue(false), 'false')
  t.equal(describeValue('x'.repeat(70)), `"${'x'.repeat(64)}…"`)
})

t.test('the generated check and the path-naming walk agree on corrupted objects of every kind', async (t) => {
  const pod = fullPod()
  const spec = pod.spec as Record<string, unknown>
  const bases: [string, unknown][] = [
    ['Pod', pod],
    ...['Deployment', 'DaemonSet', 'CronJob'].map((kind): [string, unknown] => [kind, controller(kind, 'web', spec)]),
    ['PodTemplate', { kind: 'PodTemplate', metadata: { name: 'web' }, template: { spec } }],
    ['ConfigMap', { kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' }, binaryData: { c: 'ZA==' }, immutable: true }],
  ]
  const values = fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 2 ** 64, '', 'x', [], [{}], {}, { name: 'x' }, { toString: 1 })
  const edit = fc.tuple(
    fc.nat(),
    fc.oneof(
      values.map((value) => ({ value })),
      fc.constant({ delete: true as const }),
    ),
  )
  fc.assert(
    fc.property(fc.nat(bases.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (base, edits) => {
      const [kind, original] = bases[base] as [string, unknown]
      const object = JSON.parse(JSON.stringify(original)) as Record<string, unknown>
      for (const [pick, how] of edits) {
        const paths = pathsOf(object)
        const path = paths[pick % paths.length] as (string | number)[]
        let parent = object as Record<string | number, unknown>
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
        const key = path.at(-1) as string | number
        if ('delete' in how) delete parent[key]
        else parent[key] = how.value
      }
      const walked = shapeProblemByWalk(kind, object)
      const checked = objectShapeProblem(kind, object)
      // The generated check decides; the walk names the path. A kind mismatch is checked after both.
      if (walked === undefined) return checked === undefined || checked.path === 'kind'
      return JSON.stringify(checked) === JSON.stringify(walked)
    }),
    { seed: 20261202, numRuns: fuzzRuns(1000) },
  )
  t.pass('3000 corrupted objects judged alike by both')
})
