// `jackstop certs`: a CA and a serving certificate for the webhook Service, written as a
// Kustomize overlay of manifests/ that owns every reference an install depends on: the
// namespace of every object, the Service name, the image, the TLS Secret and the caBundle of
// every webhook. A webhook pointing at a Service or certificate that does not exist refuses
// every pod (failurePolicy Fail), so nothing here is left to a second, hand-written edit.
// The CA is kept and reused: re-running renews the serving certificate while the caBundle the
// API server trusts stays the same.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { stringify } from 'yaml'
import { UsageError } from '../errors.ts'
import { kustomizeImage } from './image.ts'
import { createCertificateAuthority, issueServingCertificate, type KeyPairPem } from './issue.ts'

export interface CertsOptions {
  dir: string
  namespace: string
  service: string
  /** The jackstop image the Deployments run, e.g. `registry.example/sec/jackstop:0.1.0`. */
  image?: string | undefined
  days: number
  /** The Kustomize base the overlay points at. */
  manifests: string
}

/** The names manifests/ uses, which the overlay rewrites. */
const BASE = { service: 'jackstop', secret: 'jackstop-tls' }
const WEBHOOK_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']
// A DNS-1123 label: what Kubernetes accepts for a namespace or a Service name.
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/

function dnsLabel(value: string, flag: string): string {
  if (!DNS_LABEL.test(value)) throw new UsageError(`${flag} "${value}" is not a valid name: lower-case letters, digits and '-', at most 63`)
  return value
}

async function existingCa(dir: string): Promise<KeyPairPem | undefined> {
  try {
    await access(join(dir, 'ca.key'))
    return { certPem: await readFile(join(dir, 'ca.crt'), 'utf8'), keyPem: await readFile(join(dir, 'ca.key'), 'utf8') }
  } catch {
    return undefined
  }
}

/** The overlay's kustomization: pure, so a test can read what each rewrite targets. */
export function certsKustomization(options: Pick<CertsOptions, 'dir' | 'namespace' | 'service' | 'image' | 'manifests'>): object {
  const webhookTargets = (fieldPaths: string[], create = false) =>
    WEBHOOK_KINDS.map((kind) => ({ select: { kind }, fieldPaths, ...(create ? { options: { create: true } } : {}) }))
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(options.dir, options.manifests), 'tls-secret.yaml'],
    // Every namespaced object, the Namespace itself and the ServiceAccount subjects of jackstop's
    // bindings (kustomize's `namespace:` field leaves those); the replacements below run after it.
    transformers: [
      stringify({
        apiVersion: 'builtin',
        kind: 'NamespaceTransformer',
        metadata: { name: 'jackstop-namespace', namespace: options.namespace },
        setRoleBindingSubjects: 'allServiceAccounts',
        unsetOnly: false,
        fieldSpecs: [
          { path: 'metadata/name', kind: 'Namespace', create: true },
          { path: 'metadata/namespace', create: true },
        ],
      }),
      // In the transformers list (run in order, after the patches) so they see the new names.
      stringify(
        {
          apiVersion: 'builtin',
          kind: 'ReplacementTransformer',
          metadata: { name: 'jackstop-references' },
          replacements: [
            {
              // Each webhook calls the Service in jackstop's namespace and never reviews that namespace
              // (the second value of its exclusion), or jackstop could not restart while it is down.
              source: { kind: 'Namespace', fieldPath: 'metadata.name' },
              targets: [
                ...webhookTargets([
                  'webhooks.*.clientConfig.service.namespace',
                  'webhooks.*.namespaceSelector.matchExpressions.[key=kubernetes.io/metadata.name].values.1',
                ]),
              ],
            },
            {
              source: { kind: 'Service', name: options.service, fieldPath: 'metadata.name' },
              targets: webhookTargets(['webhooks.*.clientConfig.service.name']),
            },
            {
              source: { kind: 'Secret', name: BASE.secret, fieldPath: 'data.ca\\.crt' },
              targets: webhookTargets(['webhooks.*.clientConfig.caBundle'], true),
            },
          ],
        },
        { aliasDuplicateObjects: false },
      ),
    ],
    ...(options.image === undefined ? {} : { images: [kustomizeImage(options.image)] }),
    patches: [
      {
        target: { version: 'v1', kind: 'Service', name: BASE.service },
        patch: stringify([{ op: 'replace', path: '/metadata/name', value: options.service }]),
      },
    ],
  }
}

export async function writeCertsOverlay(options: CertsOptions): Promise<{ reusedCa: boolean; dnsNames: string[] }> {
  // Everything is checked before the first write: a half-written overlay is worse than none.
  const namespace = dnsLabel(options.namespace, '--namespace')
  const service = dnsLabel(options.service, '--service')
  const kustomization = certsKustomization(options)
  await mkdir(options.dir, { recursive: true })
  const previous = await existingCa(options.dir)
  const ca = previous ?? createCertificateAuthority('jackstop-webhook-ca', 3650)
  // The API server calls https://SERVICE.NAMESPACE.svc: that is the name it verifies.
  const dnsNames: [string, ...string[]] = [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, `${service}.${namespace}`]
  const serving = issueServingCertificate(ca, { dnsNames, days: options.days })
  const caBundle = Buffer.from(ca.certPem).toString('base64')
  await writeFile(join(options.dir, 'ca.crt'), ca.certPem)
  await writeFile(join(options.dir, 'ca.key'), ca.keyPem, { mode: 0o600 })
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: BASE.secret, namespace },
    data: { 'tls.crt': Buffer.from(serving.certPem).toString('base64'), 'tls.key': Buffer.from(serving.keyPem).toString('base64'), 'ca.crt': caBundle },
  }
  await writeFile(join(options.dir, 'tls-secret.yaml'), `# Generated by jackstop certs. Holds a private key: do not commit it.\n${stringify(secret)}`, {
    mode: 0o600,
  })
  await writeFile(
    join(options.dir, 'kustomization.yaml'),
    `# Generated by jackstop certs: kubectl apply -k ${options.dir}\n${stringify(kustomization, { aliasDuplicateObjects: false })}`,
  )
  return { reusedCa: previous !== undefined, dnsNames }
}
