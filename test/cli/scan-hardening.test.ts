import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { createCertificateAuthority } from '../../src/certs/issue.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { runCli } from '../helpers/cli.ts'
import { startFakeCluster } from '../helpers/fake-apiserver.ts'

const container = (name: string, image: string, extra: Record<string, unknown> = {}) => ({ name, image, ...extra })
const pod = (name: string, namespace: string, limits?: Record<string, string>) => ({
  metadata: { name, namespace, uid: `${namespace}-${name}` },
  spec: { containers: [container('app', 'nginx:1.27', limits === undefined ? {} : { resources: { limits } })] },
})
const clusterRoleBinding = (name: string, role: string, subjects: object[]) => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects,
})
const validCa = Buffer.from(createCertificateAuthority('jackstop-ca').certPem).toString('base64')

const objects: Record<string, KubeObject[]> = {
  clusterroles: [
    { metadata: { name: 'cluster-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    { metadata: { name: 'read-everything' }, rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list'] }] },
    { metadata: { name: 'pod-creator' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['create', 'get'] }] },
    { metadata: { name: 'system:discovery' }, rules: [{ nonResourceURLs: ['/api'], verbs: ['get'] }] },
  ],
  clusterrolebindings: [
    clusterRoleBinding('anonymous-reader', 'read-everything', [{ kind: 'User', name: 'system:anonymous' }]),
    clusterRoleBinding('system:discovery', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
    clusterRoleBinding('default-admin', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'default', namespace: 'kube-system' }]),
    clusterRoleBinding('deployer-admin', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]),
    clusterRoleBinding('dashboard-admin', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'kubernetes-dashboard', namespace: 'kubernetes-dashboard' }]),
    clusterRoleBinding('devs-pods', 'pod-creator', [{ kind: 'Group', name: 'devs' }]),
  ],
  deployments: [
    {
      metadata: { name: 'kubernetes-dashboard', namespace: 'kubernetes-dashboard', uid: 'dash' },
      spec: {
        template: {
          metadata: { labels: { 'k8s-app': 'kubernetes-dashboard' } },
          spec: {
            serviceAccountName: 'kubernetes-dashboard',
            containers: [container('dashboard', 'kubernetesui/dashboard:v2.7.0', { args: ['--auto-generate-certificates', '--enable-skip-login'] })],
          },
        },
      },
    },
  ],
  services: [
    {
      metadata: { name: 'kubernetes-dashboard', namespace: 'kubernetes-dashboard' },
      spec: { type: 'NodePort', selector: { 'k8s-app': 'kubernetes-dashboard' } },
    },
    { metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' } } },
  ],
  ingresses: [
    {
      metadata: { name: 'dash', namespace: 'kubernetes-dashboard' },
      spec: { rules: [{ http: { paths: [{ backend: { service: { name: 'kubernetes-dashboard' } } }] } }] },
    },
  ],
  pods: [pod('web-1', 'shop'), pod('web-2', 'shop', { cpu: '1' }), pod('batch-1', 'ops'), pod('old-1', 'legacy', { cpu: '1' }), pod('coredns', 'kube-system')],
  limitranges: [{ metadata: { name: 'defaults', namespace: 'ops' } }, { metadata: { name: 'defaults', namespace: 'legacy' } }],
  validatingwebhookconfigurations: [
    {
      metadata: { name: 'jackstop' },
      webhooks: [
        {
          name: 'validate.jackstop.io',
          failurePolicy: 'Ignore',
          clientConfig: { caBundle: '' },
          namespaceSelector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'jackstop-system', 'legacy'] }],
          },
        },
        { name: 'validate-audit.jackstop.io', failurePolicy: 'Ignore', clientConfig: { caBundle: validCa } },
      ],
    },
  ],
  mutatingwebhookconfigurations: [{ metadata: { name: 'zz-sidecar-injector' }, webhooks: [{ name: 'inject.example.com', rules: [{ resources: ['pods'] }] }] }],
}

t.test('scan finds the doors miners walk through, each with the attack and the fix', async (t) => {
  const fake = await startFakeCluster({ objects, token: 'scanner-token' })
  t.teardown(fake.close)
  const file = join(t.testdir(), 'kubeconfig')
  await writeFile(file, fake.kubeconfig('prod'))
  const result = await runCli(['scan', '--kubeconfig', file, '-o', 'json'])
  t.equal(result.code, 1)
  const report = JSON.parse(result.stdout) as {
    objects: { kind: string; namespace?: string; name: string; source: string; findings: { policy: string; action: string; message: string }[] }[]
  }
  const doors = report.objects
    .filter((object) => object.source === 'cluster hardening')
    .flatMap((object) => object.findings.map((finding) => `${object.kind} ${object.namespace ?? ''}/${object.name}: ${finding.policy} ${finding.action}`))
  t.same(doors, [
    'ClusterRoleBinding /anonymous-reader: rbac-open-to-everyone deny',
    'ClusterRoleBinding /default-admin: rbac-admin-service-account deny',
    'ClusterRoleBinding /deployer-admin: rbac-admin-service-account warn',
    'ClusterRoleBinding /dashboard-admin: rbac-admin-service-account deny',
    'ClusterRoleBinding /devs-pods: rbac-cluster-wide-pod-access warn',
    'Deployment kubernetes-dashboard/kubernetes-dashboard: dashboard-open-login deny',
    'Deployment kubernetes-dashboard/kubernetes-dashboard: dashboard-powerful-account deny',
    'Deployment kubernetes-dashboard/kubernetes-dashboard: dashboard-exposed deny',
    'Deployment kubernetes-dashboard/kubernetes-dashboard: dashboard-exposed deny',
    'Namespace /ops: pods-without-cpu-limits warn',
    'Namespace /shop: namespace-unbounded warn',
    'Namespace /shop: pods-without-cpu-limits warn',
    'MutatingWebhookConfiguration /jackstop: jackstop-webhook-missing deny',
    'ValidatingWebhookConfiguration /jackstop: jackstop-webhook-ca deny',
    'ValidatingWebhookConfiguration /jackstop: jackstop-fails-open warn',
    'ValidatingWebhookConfiguration /jackstop: jackstop-blind-namespace warn',
    'MutatingWebhookConfiguration /zz-sidecar-injector: jackstop-mutation-undone warn',
  ])
  const messages = report.objects.flatMap((object) => object.findings.map((finding) => finding.message))
  t.ok(messages.filter((message) => /\. Attack: .+\. Fix: .+ \(/.test(message)).length >= 17, 'every door says the attack and the fix')
  t.match(messages, ['User system:anonymous is granted ClusterRole read-everything. Attack: anyone who can reach the API server'])
})

t.test('--all-contexts scans every cluster, reports an unreachable one and ends with a summary', async (t) => {
  const fake = await startFakeCluster({ objects, token: 'scanner-token' })
  t.teardown(fake.close)
  const dead = await startFakeCluster({ objects: {} })
  const deadConfig = JSON.parse(dead.kubeconfig('dead'))
  await dead.close()
  const config = JSON.parse(fake.kubeconfig('prod'))
  config.clusters.push(...deadConfig.clusters)
  config.contexts.push(...deadConfig.contexts)
  config.users.push({ name: 'dead-user', user: { token: 'x' } })
  config.contexts[1].context.user = 'dead-user'
  config.contexts.push({ name: 'broken', context: { cluster: 'nowhere', user: 'dead-user' } })
  const file = join(t.testdir(), 'kubeconfig')
  await writeFile(file, JSON.stringify(config))
  const result = await runCli(['scan', '--kubeconfig', file, '--all-contexts'])
  t.equal(result.code, 1)
  t.match(result.stdout, /^ERROR dead \(https:\/\/127\.0\.0\.1:\d+\): pods in all namespaces: cannot reach the API server: ECONNREFUSED$/m)
  t.match(result.stdout, /^ClusterRoleBinding anonymous-reader {2}prod: cluster hardening$/m)
  t.match(result.stdout, /^ERROR broken: the kubeconfig has no cluster for the context "broken"$/m)
  t.match(result.stderr, /^cluster prod: \d+ objects, \d+ with deny findings, 0 problems\ncluster dead: unreachable\ncluster broken: unreachable\n$/m)
})

t.test('a hardening list that is forbidden is reported; the other checks still run', async (t) => {
  const fake = await startFakeCluster({ objects, token: 'scanner-token', failures: { clusterroles: 403 } })
  t.teardown(fake.close)
  const file = join(t.testdir(), 'kubeconfig')
  await writeFile(file, fake.kubeconfig('prod'))
  const result = await runCli(['scan', '--kubeconfig', file, '-o', 'json'])
  const report = JSON.parse(result.stdout) as { problems: { source: string; message: string }[]; objects: { name: string }[] }
  t.match(report.problems, [{ source: /: ClusterRole objects \(hardening checks\)$/, message: /^403 Forbidden: / }])
  t.ok(report.objects.some((object) => object.name === 'anonymous-reader'))
})
