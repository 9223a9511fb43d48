// jackstop's own blind spots: its webhook configurations missing, a caBundle that does not
// hold a valid, unexpired CA, validation that fails open, namespaces it never sees that run
// workloads, and mutating webhooks ordered after it that could undo its mutations.
import { X509Certificate } from 'node:crypto'
import type { ReportedObject } from '../report/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { type Door, reported } from './finding.ts'
import type { Snapshot } from './snapshot.ts'

interface Webhook {
  name?: string
  failurePolicy?: string
  clientConfig?: { caBundle?: string; service?: { namespace?: string } }
  namespaceSelector?: { matchExpressions?: { key?: string; operator?: string; values?: string[] }[] }
  rules?: { resources?: string[] }[]
}

/** kube-system, and jackstop's own namespace (where its Service is: `jackstop certs --namespace` moves it). */
const expectedExclusions = (webhook: Webhook) => new Set(['kube-system', webhook.clientConfig?.service?.namespace ?? 'jackstop-system'])
const THIRTY_DAYS = 30 * 24 * 60 * 60 * 1000

function caBundleProblem(caBundle: string | undefined, now: Date): string | undefined {
  if (caBundle === undefined || caBundle === '') return 'has no caBundle'
  try {
    const certificate = new X509Certificate(Buffer.from(caBundle, 'base64'))
    const expires = new Date(certificate.validTo)
    if (expires.getTime() < now.getTime()) return `has a caBundle that expired on ${expires.toISOString().slice(0, 10)}`
    if (expires.getTime() - now.getTime() < THIRTY_DAYS) return `has a caBundle that expires on ${expires.toISOString().slice(0, 10)}`
    return undefined
  } catch {
    return 'has a caBundle that is not a PEM certificate'
  }
}

export function webhookDoors(snapshot: Snapshot, now: Date): ReportedObject[] {
  const found: ReportedObject[] = []
  const configurations = [...snapshot.validatingWebhooks, ...snapshot.mutatingWebhooks]
  for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
    if (!configurations.some((configuration) => configuration.kind === kind && configuration.metadata?.name === 'jackstop')) {
      found.push(
        reported({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name: 'jackstop' } }, [
          {
            check: 'jackstop-webhook-missing',
            action: 'deny',
            severity: 'critical',
            path: 'metadata.name',
            what: `the ${kind} jackstop is not installed`,
            attack: kind.startsWith('Validating')
              ? 'nothing refuses miner pods: they are admitted as they are'
              : 'new pods are not boxed in: a miner gets every core and every capability it asks for',
            fix: 'install jackstop (kubectl apply -k after jackstop certs)',
          },
        ]),
      )
    }
  }
  const podsByNamespace = new Set(snapshot.workloads.filter((object) => object.kind === 'Pod').map((pod) => pod.metadata?.namespace))
  for (const configuration of configurations.filter((candidate) => candidate.metadata?.name === 'jackstop')) {
    const doors: Door[] = []
    ;((configuration.webhooks ?? []) as Webhook[]).forEach((webhook, index) => {
      const path = `webhooks[${index}]`
      const problem = caBundleProblem(webhook.clientConfig?.caBundle, now)
      if (problem !== undefined) {
        doors.push({
          check: 'jackstop-webhook-ca',
          action: problem.includes('expires on') ? 'warn' : 'deny',
          severity: 'high',
          path: `${path}.clientConfig.caBundle`,
          what: `webhook ${webhook.name} ${problem}`,
          attack: 'the API server cannot verify jackstop: with failurePolicy Ignore every request passes unchecked, with Fail every pod is refused',
          fix: 'renew with jackstop certs (the CA is reused) or let cert-manager inject the caBundle',
        })
      }
      if (webhook.name === 'validate.jackstop.io' && webhook.failurePolicy === 'Ignore') {
        doors.push({
          check: 'jackstop-fails-open',
          action: 'warn',
          severity: 'high',
          path: `${path}.failurePolicy`,
          what: 'validation is failurePolicy Ignore',
          attack: 'an attacker who makes jackstop slow or unreachable (or waits for a restart) gets miner pods admitted',
          fix: 'use failurePolicy Fail with two or more replicas and a PodDisruptionBudget, as manifests/ does',
        })
      }
      for (const expression of webhook.namespaceSelector?.matchExpressions ?? []) {
        if (expression.key !== 'kubernetes.io/metadata.name' || expression.operator !== 'NotIn') continue
        const expected = expectedExclusions(webhook)
        for (const namespace of (expression.values ?? []).filter((name) => !expected.has(name) && podsByNamespace.has(name))) {
          doors.push({
            check: 'jackstop-blind-namespace',
            action: 'warn',
            severity: 'medium',
            path: `${path}.namespaceSelector`,
            what: `webhook ${webhook.name} never reviews namespace ${namespace}, which runs pods`,
            attack: 'a miner started in that namespace is neither refused nor boxed in',
            fix: `remove ${namespace} from the exclusions, or scan it regularly with jackstop scan`,
          })
        }
      }
    })
    if (doors.length > 0) found.push(reported({ apiVersion: 'admissionregistration.k8s.io/v1', ...configuration } as KubeObject, doors))
  }
  // Mutating webhooks run in name order; one after jackstop that edits pods may undo its edits.
  for (const configuration of snapshot.mutatingWebhooks.filter((candidate) => (candidate.metadata?.name ?? '') > 'jackstop')) {
    const mutatesPods = ((configuration.webhooks ?? []) as Webhook[]).some((webhook) =>
      (webhook.rules ?? []).some((rule) => (rule.resources ?? []).some((resource) => resource === 'pods' || resource === '*')),
    )
    if (!mutatesPods) continue
    found.push(
      reported({ apiVersion: 'admissionregistration.k8s.io/v1', ...configuration } as KubeObject, [
        {
          check: 'jackstop-mutation-undone',
          action: 'warn',
          severity: 'medium',
          path: 'metadata.name',
          what: `MutatingWebhookConfiguration ${configuration.metadata?.name} edits pods after jackstop`,
          attack: 'it can remove the limits or capabilities jackstop set; reinvocation repairs only what jackstop can add back',
          fix: "check what it changes; jackstop's validation still refuses what its policies deny",
        },
      ]),
    )
  }
  return found
}
