// `jackstop certs` owns the overlay: one wrong reference (a webhook calling a Service that does
// not exist, a certificate for another name) refuses every pod under failurePolicy Fail. Each
// test renders the overlay with kubectl's kustomize (offline), as `kubectl apply -k` would.
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { kustomizeImage } from '../../src/certs/image.ts'
import { writeCertsOverlay } from '../../src/certs/install.ts'
import { certs } from '../../src/cli/certs.ts'

const root = new URL('../../', import.meta.url).pathname

// biome-ignore lint/suspicious/noExplicitAny: rendered objects are inspected field by field
type Rendered = any

function render(dir: string): Rendered[] {
  return parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((document) => document.toJS())
}

const webhooksOf = (objects: Rendered[]) =>
  objects.filter((object) => object.kind.endsWith('WebhookConfiguration')).flatMap((configuration) => configuration.webhooks)

/** manifests/ plus the RBAC a controller Deployment brings: jackstop's ServiceAccount bound twice, and a Group binding. */
function baseWithBindings(dir: string): string {
  const base = join(dir, 'base')
  cpSync(join(root, 'manifests'), base, { recursive: true })
  const bindings = [
    { kind: 'ClusterRoleBinding', metadata: { name: 'jackstop-read' } },
    { kind: 'RoleBinding', metadata: { name: 'jackstop-leases' } },
  ].map((binding) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    ...binding,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'ServiceAccount', name: 'jackstop', namespace: 'jackstop-system' },
      { kind: 'Group', name: 'platform-admins', apiGroup: 'rbac.authorization.k8s.io' },
    ],
  }))
  writeFileSync(join(base, 'rbac.yaml'), bindings.map((binding) => `---\n${JSON.stringify(binding)}\n`).join(''))
  const kustomization = readFileSync(join(base, 'kustomization.yaml'), 'utf8').replace('  - webhooks.yaml\n', '  - webhooks.yaml\n  - rbac.yaml\n')
  writeFileSync(join(base, 'kustomization.yaml'), kustomization)
  return base
}

t.test('certs --namespace --service --image rewrites every reference of the install and the certificate names', async (t) => {
  const dir = t.testdir()
  const overlay = join(dir, 'overlay')
  const { dnsNames } = await writeCertsOverlay({
    dir: overlay,
    namespace: 'guard',
    service: 'admission',
    image: 'registry.example:5000/security/jackstop:1.2.3',
    days: 30,
    manifests: baseWithBindings(dir),
  })
  t.same(dnsNames, ['admission.guard.svc', 'admission.guard.svc.cluster.local', 'admission.guard'])
  const objects = render(overlay)
  const byKind = (kind: string) => objects.filter((object) => object.kind === kind)

  t.same(
    byKind('Namespace').map((namespace) => namespace.metadata.name),
    ['guard'],
  )
  const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'])
  t.same(
    objects.filter((object) => !clusterScoped.has(object.kind) && object.metadata.namespace !== 'guard').map((object) => object.kind),
    [],
    'every namespaced object (Deployment, Service, Secret, PDB, ServiceAccount, ConfigMap, quota, RoleBinding) is in guard',
  )
  t.same(
    byKind('Service').map((service) => service.metadata.name),
    ['admission'],
  )
  const [deployment] = byKind('Deployment')
  t.same(
    deployment.spec.template.spec.containers.map((container: { image: string }) => container.image),
    ['registry.example:5000/security/jackstop:1.2.3'],
  )
  t.equal(deployment.spec.template.spec.serviceAccountName, 'jackstop')
  const [watchBindings, bindings] = [true, false].map((watch) =>
    [...byKind('ClusterRoleBinding'), ...byKind('RoleBinding')].filter((binding) => binding.metadata.name.startsWith('jackstop-watch') === watch),
  )
  t.same(
    watchBindings?.map((binding) => binding.subjects),
    Array(2).fill([{ kind: 'ServiceAccount', name: 'jackstop-watch', namespace: 'guard' }]),
    'the watch controller’s bindings follow it to the new namespace',
  )
  t.same(
    bindings?.map((binding) => binding.subjects),
    Array(2).fill([
      { kind: 'ServiceAccount', name: 'jackstop', namespace: 'guard' },
      { kind: 'Group', name: 'platform-admins', apiGroup: 'rbac.authorization.k8s.io' },
    ]),
  )

  const [secret] = byKind('Secret')
  t.match(secret.metadata, { name: 'jackstop-tls', namespace: 'guard' })
  const caBundle = Buffer.from(readFileSync(join(overlay, 'ca.crt'))).toString('base64')
  const serving = new X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64'))
  t.equal(serving.subjectAltName, 'DNS:admission.guard.svc, DNS:admission.guard.svc.cluster.local, DNS:admission.guard')
  const hooks = webhooksOf(objects)
  t.equal(hooks.length, 6)
  for (const hook of hooks) {
    t.match(hook.clientConfig, { caBundle, service: { name: 'admission', namespace: 'guard' } }, hook.name)
    t.same(hook.namespaceSelector.matchExpressions[0], { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'guard'] }, hook.name)
  }
  // The one place the old namespace may stay: the text of the miner-configmaps policy.
  const leftovers = objects.filter((object) => JSON.stringify(object).includes('jackstop-system'))
  t.same(
    leftovers.map((object) => `${object.kind}/${object.metadata.name}`),
    ['ConfigMap/jackstop-policies'],
  )
})

t.test('jackstop certs says which image the overlay sets, and warns when it keeps the base name nobody serves', async (t) => {
  const dir = t.testdir()
  const options = { namespace: 'jackstop-system', service: 'jackstop', days: 30, manifests: join(root, 'manifests') }
  let output = ''
  const io = { stdout: { write: (text: string) => (output += text) } as unknown as NodeJS.WritableStream }
  t.equal(await certs({ ...options, dir: join(dir, 'a'), image: 'registry.example/jackstop:0.1.0' }, io), 0)
  t.match(output, /\nImage: registry\.example\/jackstop:0\.1\.0\.\nInstall: kubectl apply -k /)
  output = ''
  await certs({ ...options, dir: join(dir, 'b') }, io)
  t.match(output, /\nImage: jackstop:0\.1\.0 from the base, which no public registry serves: build and push it, then run again with --image\.\n/)
})

t.test('without flags the overlay keeps the base names and fills in the Secret and every caBundle', async (t) => {
  const overlay = join(t.testdir(), 'overlay')
  await writeCertsOverlay({ dir: overlay, namespace: 'jackstop-system', service: 'jackstop', days: 30, manifests: join(root, 'manifests') })
  const objects = render(overlay)
  const base = render(join(root, 'manifests'))
  t.same(
    objects.filter((object) => object.kind !== 'Secret' && !object.kind.endsWith('WebhookConfiguration')),
    base.filter((object) => !object.kind.endsWith('WebhookConfiguration')),
    'everything but the webhooks renders exactly as the base',
  )
  const caBundle = Buffer.from(readFileSync(join(overlay, 'ca.crt'))).toString('base64')
  t.same(
    webhooksOf(objects),
    webhooksOf(base).map((hook) => ({ ...hook, clientConfig: { ...hook.clientConfig, caBundle } })),
  )
})

t.test('the documented namespace recipe (examples/namespace-overlay) moves the install and every webhook reference', async (t) => {
  const objects = render(join(root, 'examples', 'namespace-overlay'))
  t.same(
    objects.filter((object) => object.metadata.namespace !== undefined && object.metadata.namespace !== 'guard'),
    [],
  )
  t.same(objects.find((object) => object.kind === 'Namespace').metadata.name, 'guard')
  for (const hook of webhooksOf(objects)) {
    t.equal(hook.clientConfig.service.namespace, 'guard', hook.name)
    t.same(hook.namespaceSelector.matchExpressions[0].values, ['kube-system', 'guard'], hook.name)
  }
  t.equal(objects.find((object) => object.kind === 'Deployment').spec.template.spec.containers[0].image, 'registry.example/security/jackstop:0.1.0')
})

t.test('a name Kubernetes would refuse is refused before anything is written', async (t) => {
  const dir = join(t.testdir(), 'overlay')
  const options = { dir, namespace: 'guard', service: 'jackstop', days: 30, manifests: join(root, 'manifests') }
  for (const [field, value, flag] of [
    ['namespace', 'Guard', '--namespace'],
    ['namespace', 'guard.system', '--namespace'],
    ['service', '-jackstop', '--service'],
    ['service', 'x'.repeat(64), '--service'],
  ] as const) {
    await t.rejects(writeCertsOverlay({ ...options, [field]: value }), { code: 'JACKSTOP_ERR_USAGE', message: new RegExp(`^${flag} "`) }, value)
  }
  await t.rejects(writeCertsOverlay({ ...options, image: 'jackstop' }), { code: 'JACKSTOP_ERR_USAGE', message: /needs a tag or a digest/ })
  t.notOk(existsSync(dir))
})

t.test('--image becomes a kustomize images entry: registry ports, tags and digests', async (t) => {
  const digest = `sha256:${'ab'.repeat(32)}`
  t.same(kustomizeImage('registry.example:5000/sec/jackstop:1.2.3'), { name: 'jackstop', newName: 'registry.example:5000/sec/jackstop', newTag: '1.2.3' })
  t.same(kustomizeImage(`ghcr.io/acme/jackstop@${digest}`), { name: 'jackstop', newName: 'ghcr.io/acme/jackstop', digest })
  t.same(kustomizeImage(`jackstop:0.1.0@${digest}`), { name: 'jackstop', newName: 'jackstop', newTag: '0.1.0', digest })
  for (const bad of ['', 'Registry/JACKSTOP:1', 'jackstop:1.0 ; rm -rf', 'jackstop@sha256:short', 'jackstop:', 'registry.example:5000/jackstop']) {
    t.throws(() => kustomizeImage(bad), { code: 'JACKSTOP_ERR_USAGE' }, JSON.stringify(bad))
  }
})
