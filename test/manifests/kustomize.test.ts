import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { policyManifests } from '../../scripts/policies-configmap.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { runCli } from '../helpers/cli.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

const root = new URL('../../', import.meta.url).pathname
// kubectl's built-in kustomize renders offline, exactly as `kubectl apply -k manifests/` would.
const rendered = execFileSync('kubectl', ['kustomize', join(root, 'manifests')], { encoding: 'utf8' })
// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field below
const objects = parseAllDocuments(rendered).map((document) => document.toJS() as any)
const byKind = (kind: string) => objects.filter((object) => object.kind === kind)

t.test('kubectl kustomize renders the install: namespace, account, policies, deployment, service, budget, webhooks', async (t) => {
  t.same(objects.map((object) => `${object.kind}/${object.metadata.name}`).sort(), [
    'ClusterRole/jackstop-watch',
    'ClusterRoleBinding/jackstop-watch',
    'ConfigMap/jackstop-policies',
    'Deployment/jackstop',
    'Deployment/jackstop-watch',
    'MutatingWebhookConfiguration/jackstop',
    'Namespace/jackstop-system',
    'PodDisruptionBudget/jackstop',
    'ResourceQuota/jackstop-critical-pods',
    'Role/jackstop-watch-lease',
    'RoleBinding/jackstop-watch-lease',
    'Service/jackstop',
    'ServiceAccount/jackstop',
    'ServiceAccount/jackstop-watch',
    'ValidatingWebhookConfiguration/jackstop',
  ])
  t.ok(
    objects
      .filter((object) => !object.kind.endsWith('WebhookConfiguration') && !object.kind.startsWith('Cluster') && object.kind !== 'Namespace')
      .every((object) => object.metadata.namespace === 'jackstop-system'),
  )
})

t.test('the Deployment is highly available and locked down', async (t) => {
  const [deployment] = byKind('Deployment')
  const pod = deployment.spec.template.spec
  const [container] = pod.containers
  t.ok(deployment.spec.replicas >= 2)
  t.equal(pod.priorityClassName, 'system-cluster-critical')
  // Where critical classes are limited (GKE), pods of that class need a quota that names it.
  const [quota] = byKind('ResourceQuota')
  t.same(quota.spec.scopeSelector.matchExpressions, [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-cluster-critical'] }])
  t.ok(Number(quota.spec.hard.pods) > deployment.spec.replicas, 'room for a rollout surge')
  t.equal(pod.topologySpreadConstraints[0].topologyKey, 'kubernetes.io/hostname')
  t.ok(pod.affinity.podAntiAffinity)
  t.same(pod.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } })
  t.same(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })
  t.match(container.readinessProbe, { httpGet: { path: '/readyz', scheme: 'HTTPS' } })
  t.match(container.livenessProbe, { httpGet: { path: '/healthz', scheme: 'HTTPS' } })
  for (const probe of [container.readinessProbe, container.livenessProbe]) {
    t.ok(probe.failureThreshold > 1 && probe.timeoutSeconds > 1, 'one slow answer does not fail a probe')
  }
  // Large ConfigMap updates peaked at 310 MiB (issue 14): request above it, limit with headroom.
  t.match(container.resources, { requests: { cpu: '100m', memory: '384Mi' }, limits: { cpu: '1', memory: '512Mi' } })
  t.ok(container.args.includes('--drain-delay=5000'), 'keeps serving while endpoints drain')
  const [pdb] = byKind('PodDisruptionBudget')
  t.equal(pdb.spec.minAvailable, 1)
})

t.test('the webhooks speak v1, have no side effects, time out quickly and never review jackstop or kube-system', async (t) => {
  const hooks = [...byKind('ValidatingWebhookConfiguration'), ...byKind('MutatingWebhookConfiguration')].flatMap((configuration) => configuration.webhooks)
  t.equal(hooks.length, 6)
  for (const hook of hooks) {
    t.same(hook.admissionReviewVersions, ['v1'], hook.name)
    t.equal(hook.sideEffects, 'None', hook.name)
    t.ok(hook.timeoutSeconds <= 10, hook.name)
    t.match(
      hook.namespaceSelector.matchExpressions,
      [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'jackstop-system'] }],
      hook.name,
    )
  }
  const byName = Object.fromEntries(hooks.map((hook) => [hook.name, hook]))
  t.equal(byName['validate.jackstop.io'].failurePolicy, 'Fail')
  // ConfigMaps never wait for jackstop under Fail, and the control plane's writes never reach it.
  for (const name of ['validate-configmaps.jackstop.io', 'validate-audit-configmaps.jackstop.io']) {
    t.equal(byName[name].failurePolicy, 'Ignore', name)
    t.same(
      byName[name].rules.flatMap((rule: { resources: string[] }) => rule.resources),
      ['configmaps'],
      name,
    )
    t.match(byName[name].matchConditions, [{ name: 'not-the-control-plane', expression: /system:kube-controller-manager.*system:serviceaccount:kube-system:/ }])
  }
  t.equal(byName['mutate.jackstop.io'].failurePolicy, 'Ignore')
  t.equal(byName['mutate.jackstop.io'].reinvocationPolicy, 'IfNeeded')
  t.equal(byName['validate-audit.jackstop.io'].clientConfig.service.path, '/validate/audit')
  const resources = [byName['validate.jackstop.io'], byName['validate-configmaps.jackstop.io']].flatMap((hook) =>
    hook.rules.flatMap((rule: { resources: string[] }) => rule.resources),
  )
  for (const resource of [
    'pods',
    'pods/ephemeralcontainers',
    'deployments',
    'replicasets',
    'statefulsets',
    'daemonsets',
    'jobs',
    'cronjobs',
    'replicationcontrollers',
    'configmaps',
  ]) {
    t.ok(resources.includes(resource), resource)
  }
})

t.test('dogfood: jackstop check passes its own rendered manifests', async (t) => {
  const result = await runCli(['check', '-'], { input: rendered })
  t.equal(result.code, 0)
  t.equal(result.stdout, '15 objects checked, 0 with findings: 0 deny, 0 warn, 0 audit\n')
})

t.test('the policies ConfigMap is up to date with policies/ (npm run manifests)', async (t) => {
  const expected = policyManifests(DEFAULT_POLICIES)
  t.equal(readFileSync(join(root, 'manifests/policies-configmap.yaml'), 'utf8'), expected.configMap)
  t.equal(readFileSync(join(root, 'manifests/policies-volume-patch.yaml'), 'utf8'), expected.volumePatch)
})

t.test('mounted as the Deployment mounts it, the ConfigMap is a loadable policy set', async (t) => {
  const [configMap] = byKind('ConfigMap')
  const [deployment] = byKind('Deployment')
  const volume = deployment.spec.template.spec.volumes.find((entry: { name: string }) => entry.name === 'policies')
  const dir = t.testdir()
  for (const { key, path } of volume.configMap.items as { key: string; path: string }[]) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), configMap.data[key])
  }
  const mounted = await loadPolicySet(dir)
  const bundled = await loadPolicySet(DEFAULT_POLICIES)
  t.same(
    mounted.policies.map((policy) => policy.id),
    bundled.policies.map((policy) => policy.id),
  )
})
