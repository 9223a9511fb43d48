// jackstop installed in another namespace (jackstop certs --namespace guard) excludes that
// namespace from its webhooks on purpose: scan must not report it as a blind spot.
import t from 'tap'
import { createCertificateAuthority } from '../../src/certs/issue.ts'
import { hardeningFindings } from '../../src/hardening/checks.ts'
import type { Snapshot } from '../../src/hardening/snapshot.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

const caBundle = Buffer.from(createCertificateAuthority('ca', 365).certPem).toString('base64')
const pod = (namespace: string) => ({ kind: 'Pod', metadata: { name: 'p', namespace } }) as KubeObject
const webhook = (serviceNamespace: string, excluded: string[]) => ({
  name: 'validate.jackstop.io',
  failurePolicy: 'Fail',
  clientConfig: { caBundle, service: { name: 'admission', namespace: serviceNamespace } },
  namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: excluded }] },
})

function blindSpots(serviceNamespace: string, excluded: string[]): string[] {
  const snapshot: Snapshot = {
    clusterRoles: [],
    clusterRoleBindings: [],
    roles: [],
    roleBindings: [],
    namespaces: [],
    limitRanges: [],
    resourceQuotas: [],
    services: [],
    ingresses: [],
    validatingWebhooks: [
      { kind: 'ValidatingWebhookConfiguration', metadata: { name: 'jackstop' }, webhooks: [webhook(serviceNamespace, excluded)] } as KubeObject,
    ],
    mutatingWebhooks: [{ kind: 'MutatingWebhookConfiguration', metadata: { name: 'jackstop' }, webhooks: [] } as KubeObject],
    workloads: [pod('guard'), pod('legacy'), pod('jackstop-system')],
  }
  return hardeningFindings(snapshot, new Date())
    .flatMap((object) => object.findings)
    .filter((finding) => finding.policy === 'jackstop-blind-namespace')
    .map((finding) => finding.message.split('. Attack:')[0] as string)
}

t.test("the namespace of jackstop's own Service is an expected exclusion; others that run pods are still reported", async (t) => {
  t.same(blindSpots('guard', ['kube-system', 'guard', 'legacy']), ['webhook validate.jackstop.io never reviews namespace legacy, which runs pods'])
})

t.test('jackstop-system is expected only where jackstop runs: excluded beside a moved install, it is reported', async (t) => {
  t.same(blindSpots('guard', ['kube-system', 'guard', 'jackstop-system']), [
    'webhook validate.jackstop.io never reviews namespace jackstop-system, which runs pods',
  ])
})
