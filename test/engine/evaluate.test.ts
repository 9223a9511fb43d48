import t from 'tap'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { Check, Policy, PolicySet } from '../../src/engine/types.ts'
import { compileExemptions } from '../../src/policy/exemptions.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { controller, replicaSetPod } from '../helpers/reviews.ts'

function policy(id: string, check: Check, exempt: Parameters<typeof compileExemptions>[0] = {}): Policy {
  return { id, description: id, severity: 'high', action: 'deny', file: `${id}.ts`, exempt: compileExemptions(exempt), check }
}

function set(...policies: Policy[]): PolicySet {
  return { policies, source: 'test', loadedAt: new Date() }
}

const noLatest = (exempt?: Parameters<typeof compileExemptions>[0]) =>
  policy(
    'no-latest',
    { mode: 'validate', target: 'container', run: (container) => (container.image?.endsWith(':latest') ? [{ field: 'image', message: 'uses :latest' }] : []) },
    exempt,
  )

const latestPod = replicaSetPod([{ name: 'app', image: 'registry.example.com/team/app:latest' }], {
  initContainers: [{ name: 'init', image: 'busybox:latest' }],
  ephemeralContainers: [{ name: 'debug', image: 'alpine:latest' }],
})

t.test('containers, initContainers and ephemeralContainers are all checked, with their paths', async (t) => {
  const { findings } = evaluate({ object: latestPod }, set(noLatest()))
  t.same(
    findings.map((finding) => finding.path),
    ['spec.initContainers[0].image', 'spec.containers[0].image', 'spec.ephemeralContainers[0].image'],
  )
})

t.test('an exempt namespace is skipped', async (t) => {
  t.same(evaluate({ object: latestPod, namespace: 'ci' }, set(noLatest({ namespaces: ['ci'] }))).findings, [])
  t.equal(evaluate({ object: latestPod, namespace: 'shop' }, set(noLatest({ namespaces: ['ci'] }))).findings.length, 3)
})

t.test('the object namespace is used when the door has none (jackstop check)', async (t) => {
  t.same(evaluate({ object: latestPod }, set(noLatest({ namespaces: ['shop'] }))).findings, [])
})

t.test('exempt images are matched on normalised names, with globs, tags and digests', async (t) => {
  const paths = (images: string[]) => evaluate({ object: latestPod }, set(noLatest({ images }))).findings.map((finding) => finding.path)
  t.same(paths(['docker.io/library/busybox']), ['spec.containers[0].image', 'spec.ephemeralContainers[0].image'])
  t.same(paths(['registry.example.com/team/*']), ['spec.initContainers[0].image', 'spec.ephemeralContainers[0].image'])
  t.same(paths(['docker.io/library/alpine:latest']), ['spec.initContainers[0].image', 'spec.containers[0].image'])
  t.same(paths(['docker.io/library/alpine@sha256:*']), ['spec.initContainers[0].image', 'spec.containers[0].image', 'spec.ephemeralContainers[0].image'])
})

t.test('exempt service accounts are namespace:name', async (t) => {
  const pod = replicaSetPod([{ name: 'app', image: 'app:latest' }], { serviceAccountName: 'builder' })
  t.same(evaluate({ object: pod }, set(noLatest({ serviceAccounts: ['shop:builder'] }))).findings, [])
  t.equal(evaluate({ object: pod }, set(noLatest({ serviceAccounts: ['other:builder'] }))).findings.length, 1)
})

t.test('an annotation on the workload cannot switch a policy off', async (t) => {
  const pod = replicaSetPod([{ name: 'app', image: 'app:latest' }]) as KubeObject & { metadata: { annotations?: Record<string, string> } }
  pod.metadata.annotations = { 'jackstop.io/exempt': 'no-latest', 'jackstop.io/skip': 'true', 'policy.jackstop.io/no-latest': 'off' }
  t.equal(evaluate({ object: pod }, set(noLatest())).findings.length, 1)
})

t.test('pod-level policies see the template spec of every controller kind', async (t) => {
  const hostNetwork = policy('host-network', {
    mode: 'validate',
    target: 'pod',
    run: (spec) => (spec.hostNetwork ? [{ field: 'hostNetwork', message: 'hostNetwork: shares the node network' }] : []),
  })
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']) {
    const object = controller(kind, 'x', { hostNetwork: true, containers: [{ name: 'a', image: 'a:1' }] })
    const prefix = kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec'
    t.same(
      evaluate({ object }, set(hostNetwork)).findings.map(({ path, message }) => ({ path, message })),
      [{ path: `${prefix}.hostNetwork`, message: `${prefix}.hostNetwork: shares the node network (host-network)` }],
      kind,
    )
  }
})

t.test('a pod-level violation without a field names the pod spec', async (t) => {
  const always = policy('always', { mode: 'validate', target: 'pod', run: () => [{ message: 'always wrong' }] })
  t.same(evaluate({ object: latestPod }, set(always)).findings[0]?.message, 'spec: always wrong (always)')
})

t.test('objects without pod specs or with broken ones yield no findings', async (t) => {
  for (const object of [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: 'not an object' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: 'none', initContainers: [null, 7] } },
    {},
  ] as KubeObject[]) {
    t.same(evaluate({ object }, set(noLatest())).findings, [], JSON.stringify(object))
  }
})

t.test('ConfigMap policies see the data and report with the key path', async (t) => {
  const stratum = policy('stratum', {
    mode: 'validate',
    target: 'configmap',
    run: (_configMap, { configMap }) =>
      configMap.entries
        .filter((entry) => entry.value.includes('stratum+tcp://'))
        .map((entry) => ({ field: entry.path, message: `${entry.path}: holds a stratum URL` })),
  })
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'shop' },
    data: { 'config.json': '{"url":"stratum+tcp://x:3333"}', other: 'fine' },
  }
  t.same(evaluate({ object }, set(stratum)).findings, [
    { policy: 'stratum', action: 'deny', severity: 'high', path: 'data["config.json"]', message: 'data["config.json"]: holds a stratum URL (stratum)' },
  ])
  t.same(evaluate({ object: { ...object, data: undefined } }, set(stratum)).findings, [])
  const exempt = policy('stratum', stratum.check, { namespaces: ['shop'] })
  t.same(evaluate({ object }, set(exempt)).findings, [])
})

t.test('a throwing policy becomes a deny finding for each target it failed on', async (t) => {
  const broken = policy('broken', {
    mode: 'validate',
    target: 'pod',
    run: () => {
      throw 'a string, not an Error'
    },
  })
  t.same(evaluate({ object: latestPod }, set(broken)).findings, [
    {
      policy: 'broken',
      action: 'deny',
      severity: 'critical',
      path: 'spec',
      message: 'policy broken failed on spec and the request is refused rather than admitted unchecked: a string, not an Error',
    },
  ])
  const brokenConfigMap = policy('broken-cm', {
    mode: 'validate',
    target: 'configmap',
    run: () => {
      throw new Error('boom')
    },
  })
  t.match(evaluate({ object: { kind: 'ConfigMap', data: {} } }, set(brokenConfigMap)).findings, [{ path: '', message: /failed on the object .*: boom/ }])
})

t.test('validate: false skips validation policies', async (t) => {
  t.same(evaluate({ object: latestPod, validate: false }, set(noLatest())).findings, [])
})

t.test('a pod without a service account runs as default:default for exemptions', async (t) => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'a:latest' }] } }
  t.same(evaluate({ object: pod }, set(noLatest({ serviceAccounts: ['default:default'] }))).findings, [])
})

t.test('an image exemption matches references with neither tag nor digest, and pinned digests', async (t) => {
  const always = policy(
    'always',
    { mode: 'validate', target: 'container', run: () => [{ message: 'flagged' }] },
    {
      images: ['docker.io/library/busybox', 'docker.io/library/nginx@sha256:*'],
    },
  )
  const pod = replicaSetPod([
    { name: 'a', image: 'busybox' },
    { name: 'b', image: 'alpine' },
    { name: 'c', image: 'nginx@sha256:0f5bbcb1c4b5a39b2c1e0d5e7c1f6d0b6c4b9e7e5b3d2a1f0e9d8c7b6a594837' },
  ])
  t.same(
    evaluate({ object: pod }, set(always)).findings.map((finding) => finding.path),
    ['spec.containers[1]'],
  )
})

t.test('a container without a name is still checked, with an empty name', async (t) => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ image: 'a:latest' }] } } as KubeObject
  t.same(evaluate({ object: pod }, set(noLatest())).findings[0]?.message, 'spec.containers[0] "": uses :latest (no-latest)')
})

t.test("a violation can soften its policy's action but never harden it", async (t) => {
  const says = (action: 'deny' | 'warn' | 'audit') => ({ mode: 'validate' as const, target: 'container' as const, run: () => [{ message: 'x', action }] })
  const warnPolicy = { ...policy('p', says('deny')), action: 'warn' as const }
  t.equal(evaluate({ object: latestPod }, set(warnPolicy)).findings[0]?.action, 'warn')
  t.equal(evaluate({ object: latestPod }, set(policy('q', says('audit')))).findings[0]?.action, 'audit')
})
