// The controller's install: rendered offline as `kubectl apply -k` would, its RBAC pinned rule
// by rule so a wider grant is a visible change, NetworkPolicy rights only with the component.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'

const root = new URL('../../', import.meta.url).pathname
const render = (dir: string) =>
  // The overlay below reaches outside its own directory, which kustomize allows only when told.
  parseAllDocuments(execFileSync('kubectl', ['kustomize', '--load-restrictor=LoadRestrictionsNone', dir], { encoding: 'utf8' })).map(
    // toJS() is untyped: rendered manifests are checked field by field below.
    (document) => document.toJS(),
  )
const objects = render(join(root, 'manifests'))
const find = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name)

t.test('the base installs the controller beside the webhook: its account, its Deployment and its roles', async (t) => {
  const deployment = find('Deployment', 'jackstop-watch')
  const pod = deployment.spec.template.spec
  const [container] = pod.containers
  t.equal(deployment.metadata.namespace, 'jackstop-system')
  t.equal(deployment.spec.replicas, 2, 'a leader and a warm follower')
  t.equal(pod.serviceAccountName, 'jackstop-watch')
  t.equal(find('ServiceAccount', 'jackstop-watch').automountServiceAccountToken, true)
  t.same(container.args.slice(0, 4), ['watch', '--in-cluster', '--policies=/app/policies', '--remediation=dry-run'], 'dry run until the operator says enforce')
  t.same(
    container.env.map((entry: { name: string; valueFrom: { fieldRef: { fieldPath: string } } }) => [entry.name, entry.valueFrom.fieldRef.fieldPath]),
    [
      ['POD_NAMESPACE', 'metadata.namespace'],
      ['POD_NAME', 'metadata.name'],
    ],
  )
  t.match(container.readinessProbe, { httpGet: { path: '/readyz', port: 'http' } })
  t.match(container.livenessProbe, { httpGet: { path: '/healthz', port: 'http' } })
  t.same(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })
  const volume = pod.volumes.find((entry: { name: string }) => entry.name === 'policies')
  t.ok(
    volume.configMap.items.some((item: { path: string }) => item.path.startsWith('data/')),
    'the policies mount keeps data/ as the webhook’s does',
  )
})

t.test('the controller’s RBAC is exactly what it uses: no wildcard, no secrets, no NetworkPolicies in the base', async (t) => {
  const rules = find('ClusterRole', 'jackstop-watch').rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]
  const grants = rules.flatMap((rule) =>
    rule.apiGroups.flatMap((group) => rule.resources.map((resource) => `${group || 'core'}/${resource}: ${rule.verbs.join(',')}`)),
  )
  t.same(grants, [
    'core/pods: list,watch',
    'core/replicationcontrollers: list,watch',
    'core/configmaps: list,watch',
    'apps/deployments: list,watch',
    'apps/replicasets: list,watch',
    'apps/statefulsets: list,watch',
    'apps/daemonsets: list,watch',
    'batch/jobs: list,watch',
    'batch/cronjobs: list,watch',
    'metrics.k8s.io/pods: list',
    'apps/deployments/scale: get,patch',
    'apps/replicasets/scale: get,patch',
    'apps/statefulsets/scale: get,patch',
    'core/replicationcontrollers/scale: get,patch',
    'apps/deployments: get,patch',
    'apps/replicasets: get,patch',
    'apps/statefulsets: get,patch',
    'apps/daemonsets: get,patch',
    'batch/jobs: get,patch',
    'batch/cronjobs: get,patch',
    'core/replicationcontrollers: get,patch',
    'core/pods: get,patch,delete',
    'core/pods/eviction: create',
    'core/events: create',
    'wgpolicyk8s.io/policyreports: get,list,create,update,delete',
    'openreports.io/reports: get,list,create,update,delete',
  ])
  t.notOk(objects.some((object) => object.kind === 'ClusterRole' && object.metadata.name === 'jackstop-watch-quarantine'))
  const lease = find('Role', 'jackstop-watch-lease')
  t.equal(lease.metadata.namespace, 'jackstop-system', 'the Lease rights stay in jackstop’s namespace')
  t.same(lease.rules[1].resourceNames, ['jackstop-watch'])
  t.same(find('RoleBinding', 'jackstop-watch-lease').subjects, [{ kind: 'ServiceAccount', name: 'jackstop-watch', namespace: 'jackstop-system' }])
})

t.test('the quarantine component adds only the right to create NetworkPolicies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jackstop-quarantine-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `resources: [${relative(dir, join(root, 'manifests'))}]\ncomponents: [${relative(dir, join(root, 'manifests/watch/quarantine'))}]\n`,
  )
  const withQuarantine = render(dir)
  const added = withQuarantine.filter((object) => !objects.some((base) => base.kind === object.kind && base.metadata.name === object.metadata.name))
  t.same(
    added.map((object) => `${object.kind}/${object.metadata.name}`),
    ['ClusterRole/jackstop-watch-quarantine', 'ClusterRoleBinding/jackstop-watch-quarantine'],
  )
  t.same(added[0].rules, [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] }])
})
