import t from 'tap'
import { createCertificateAuthority } from '../../src/certs/issue.ts'
import { hardeningFindings } from '../../src/hardening/checks.ts'
import type { Snapshot } from '../../src/hardening/snapshot.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

const empty: Snapshot = {
  clusterRoles: [],
  clusterRoleBindings: [],
  roles: [],
  roleBindings: [],
  namespaces: [],
  limitRanges: [],
  resourceQuotas: [],
  services: [],
  ingresses: [],
  validatingWebhooks: [],
  mutatingWebhooks: [],
  workloads: [],
}
const bundle = (days: number) => Buffer.from(createCertificateAuthority('ca', days).certPem).toString('base64')
const now = new Date()
const doorsOf = (snapshot: Partial<Snapshot>) =>
  hardeningFindings({ ...empty, ...snapshot } as Snapshot, now).flatMap((object) =>
    object.findings.map((finding) => `${object.kind}/${object.name}: ${finding.policy} ${finding.action}`),
  )
const installed = (webhooks: object[]): Partial<Snapshot> => ({
  validatingWebhooks: [{ kind: 'ValidatingWebhookConfiguration', metadata: { name: 'jackstop' }, webhooks } as KubeObject],
  mutatingWebhooks: [{ kind: 'MutatingWebhookConfiguration', metadata: { name: 'jackstop' } } as KubeObject],
})

t.test('RBAC edge cases: namespaced wildcard roles, empty bindings, subjects without names', async (t) => {
  t.same(
    doorsOf({
      ...installed([]),
      roles: [
        { kind: 'Role', metadata: { name: 'all', namespace: 'dev' }, rules: [{ resources: ['*'], verbs: ['*'] }] } as KubeObject,
        { kind: 'Role', metadata: { name: 'none', namespace: 'dev' } } as KubeObject,
      ],
      roleBindings: [
        {
          kind: 'RoleBinding',
          metadata: { name: 'everyone-all', namespace: 'dev' },
          roleRef: { kind: 'Role', name: 'all' },
          subjects: [{ kind: 'Group', name: 'system:unauthenticated' }],
        } as KubeObject,
        {
          kind: 'RoleBinding',
          metadata: { name: 'sa-none', namespace: 'dev' },
          roleRef: { kind: 'Role', name: 'none' },
          subjects: [{ kind: 'ServiceAccount', name: 'x' }],
        } as KubeObject,
        { kind: 'RoleBinding', metadata: { name: 'empty', namespace: 'dev' } } as KubeObject,
      ],
      clusterRoles: [
        {
          kind: 'ClusterRole',
          metadata: { name: 'ephemeral' },
          rules: [
            { apiGroups: ['apps'], resources: ['pods'], verbs: ['create'] },
            { resources: ['pods/ephemeralcontainers'], verbs: ['*'] },
          ],
        } as KubeObject,
      ],
      clusterRoleBindings: [
        {
          kind: 'ClusterRoleBinding',
          metadata: { name: 'nameless' },
          roleRef: { kind: 'ClusterRole', name: 'ephemeral' },
          subjects: [{}, { kind: 'ServiceAccount' }],
        } as KubeObject,
        {
          kind: 'ClusterRoleBinding',
          metadata: { name: 'no-role' },
          roleRef: { kind: 'ClusterRole', name: 'missing' },
          subjects: [{ kind: 'User', name: 'bob' }],
        } as KubeObject,
      ],
    }),
    [
      'ClusterRoleBinding/nameless: rbac-cluster-wide-pod-access warn',
      'ClusterRoleBinding/nameless: rbac-cluster-wide-pod-access warn',
      'RoleBinding/everyone-all: rbac-open-to-everyone deny',
    ],
  )
})

t.test('dashboard edge cases: no args, default account, --enable-skip-login=true, default backends, unexposed services', async (t) => {
  const dashboard = {
    kind: 'Deployment',
    metadata: { name: 'headlamp', namespace: 'ui' },
    spec: {
      template: {
        metadata: { labels: { app: 'headlamp' } },
        spec: {
          containers: [
            { name: 'a', image: 'ghcr.io/headlamp-k8s/headlamp:v0.25' },
            { name: 'b', image: 'kubernetesui/dashboard:v2', command: ['/dashboard', '--enable-skip-login=true'] },
            { name: 'c' },
          ],
        },
      },
    },
  } as KubeObject
  t.same(
    doorsOf({
      ...installed([]),
      workloads: [
        dashboard,
        {
          kind: 'Deployment',
          metadata: { name: 'plain', namespace: 'ui' },
          spec: { template: { spec: { containers: [{ name: 'x', image: 'nginx' }] } } },
        } as KubeObject,
      ],
      clusterRoleBindings: [
        {
          kind: 'ClusterRoleBinding',
          metadata: { name: 'ui-admin' },
          roleRef: { name: 'cluster-admin' },
          subjects: [
            { kind: 'ServiceAccount', namespace: 'ui', name: 'default' },
            { kind: 'User', name: 'u' },
          ],
        } as KubeObject,
      ],
      services: [
        { kind: 'Service', metadata: { name: 'headlamp', namespace: 'ui' }, spec: { selector: { app: 'headlamp' } } } as KubeObject,
        { kind: 'Service', metadata: { name: 'no-selector', namespace: 'ui' }, spec: { type: 'NodePort' } } as KubeObject,
        { kind: 'Service', metadata: { name: 'other', namespace: 'ui' } } as KubeObject,
      ],
      ingresses: [
        { kind: 'Ingress', metadata: { name: 'ui', namespace: 'ui' }, spec: { defaultBackend: { service: { name: 'headlamp' } } } } as KubeObject,
        { kind: 'Ingress', metadata: { name: 'empty', namespace: 'ui' } } as KubeObject,
        { kind: 'Ingress', metadata: { name: 'rules', namespace: 'ui' }, spec: { rules: [{}, { http: { paths: [{}] } }] } } as KubeObject,
      ],
    }),
    [
      'ClusterRoleBinding/ui-admin: rbac-admin-service-account deny',
      'Deployment/headlamp: dashboard-open-login deny',
      'Deployment/headlamp: dashboard-powerful-account deny',
      'Deployment/headlamp: dashboard-exposed deny',
    ],
  )
})

t.test('compute edge cases: pods without a namespace count as default; system namespaces are skipped', async (t) => {
  t.same(
    doorsOf({
      ...installed([]),
      namespaces: [{ metadata: { name: 'default' } } as KubeObject, { metadata: { name: 'kube-system' } } as KubeObject, { metadata: {} } as KubeObject],
      resourceQuotas: [{ metadata: { name: 'q', namespace: 'default' } } as KubeObject],
      workloads: [
        {
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1' } } }], ephemeralContainers: [{ name: 'debug' }] },
        } as KubeObject,
        { kind: 'Pod', metadata: { name: 'q', namespace: 'kube-system' }, spec: { containers: [{ name: 'c' }] } } as KubeObject,
      ],
    }),
    [],
  )
})

t.test('webhook edge cases: expired, expiring and unreadable caBundles; missing selectors and rules', async (t) => {
  t.same(
    doorsOf({
      ...installed([
        { name: 'validate.jackstop.io', failurePolicy: 'Fail', clientConfig: { caBundle: bundle(-1) } },
        {
          name: 'b',
          clientConfig: { caBundle: bundle(10) },
          namespaceSelector: {
            matchExpressions: [
              { key: 'team', operator: 'NotIn', values: ['x'] },
              { key: 'kubernetes.io/metadata.name', operator: 'NotIn' },
            ],
          },
        },
        { name: 'c', clientConfig: { caBundle: Buffer.from('not a certificate').toString('base64') } },
        { name: 'd' },
      ]),
      mutatingWebhooks: [
        {
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'jackstop' },
          webhooks: [{ name: 'm', clientConfig: { caBundle: bundle(365) } }],
        } as KubeObject,
        {
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'zz-deployments' },
          webhooks: [{ rules: [{ resources: ['deployments'] }, {}] }, {}],
        } as KubeObject,
        { kind: 'MutatingWebhookConfiguration', metadata: { name: 'zzz-empty' } } as KubeObject,
        { kind: 'MutatingWebhookConfiguration', metadata: {} } as KubeObject,
      ],
    }).filter((door) => !door.includes('webhook-missing')),
    [
      'ValidatingWebhookConfiguration/jackstop: jackstop-webhook-ca deny',
      'ValidatingWebhookConfiguration/jackstop: jackstop-webhook-ca warn',
      'ValidatingWebhookConfiguration/jackstop: jackstop-webhook-ca deny',
      'ValidatingWebhookConfiguration/jackstop: jackstop-webhook-ca deny',
    ],
  )
})

t.test('more RBAC and webhook corners: unnamed objects and subjects, custom wildcard roles, rules without verbs', async (t) => {
  t.same(
    doorsOf({
      mutatingWebhooks: [{ kind: 'MutatingWebhookConfiguration', metadata: { name: 'jackstop' } } as KubeObject],
      clusterRoles: [
        { kind: 'ClusterRole', metadata: { name: 'god' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] } as KubeObject,
        { kind: 'ClusterRole', metadata: { name: 'odd' }, rules: [{}, { verbs: ['create'] }] } as KubeObject,
      ],
      clusterRoleBindings: [
        { kind: 'ClusterRoleBinding', metadata: {}, roleRef: {}, subjects: [{ kind: 'User', name: 'system:anonymous' }] } as KubeObject,
        {
          kind: 'ClusterRoleBinding',
          metadata: { name: 'robot-god' },
          roleRef: { kind: 'ClusterRole', name: 'god' },
          subjects: [{ kind: 'ServiceAccount', namespace: 'ci' }],
        } as KubeObject,
        {
          kind: 'ClusterRoleBinding',
          metadata: { name: 'odd' },
          roleRef: { kind: 'ClusterRole', name: 'odd' },
          subjects: [{ kind: 'ServiceAccount', namespace: 'ci', name: 'robot' }],
        } as KubeObject,
        { kind: 'ClusterRoleBinding', metadata: { name: 'no-subjects' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } } as KubeObject,
      ],
      workloads: [
        { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: {} } } } as KubeObject,
        { kind: 'Deployment', metadata: { name: 'e' }, spec: { template: { spec: { containers: [{ name: 'no-image' }] } } } } as KubeObject,
      ],
    }),
    [
      'ClusterRoleBinding/: rbac-open-to-everyone deny',
      'ClusterRoleBinding/robot-god: rbac-admin-service-account warn',
      'ValidatingWebhookConfiguration/jackstop: jackstop-webhook-missing deny',
    ],
  )
})
