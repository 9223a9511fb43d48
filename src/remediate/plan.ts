// Which remediations a namespace's findings call for. Only a deny finding acts (a softened,
// weaker verdict is reported, never acted on), or a `miner` finding, where CPU evidence
// confirms a static miner signal; its action is the signal policy's. Protected namespaces
// (kube-system, jackstop's own) are never planned for, whatever a policy says.
import type { Finding, Policy, Remediation } from '../engine/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import type { RemediationTarget } from './record.ts'

export interface PlannedRemediation {
  action: Exclude<Remediation, 'none'>
  policy: string
  target: RemediationTarget & { apiVersion?: string | undefined; uid?: string | undefined }
  /** The finding that called for it, for the Event. */
  finding: Finding
}

export interface PlanInput {
  namespace: string
  objects: readonly KubeObject[]
  findingsOf(object: KubeObject): Finding[]
  policies: ReadonlyMap<string, Policy>
  protectedNamespaces: ReadonlySet<string>
  /** The policy id of a combined finding that borrows its action from its static signal. */
  minerPolicy: string
  isMinerSignal(finding: Finding): boolean
}

type OwnerReference = { kind?: string; name?: string; uid?: string; controller?: boolean; apiVersion?: string }

function controllerOf(object: KubeObject): OwnerReference | undefined {
  const references = (object.metadata?.ownerReferences ?? []) as OwnerReference[]
  return references.find((reference) => reference.controller === true)
}

const asTarget = (object: KubeObject) => ({
  apiVersion: object.apiVersion,
  kind: object.kind as string,
  namespace: object.metadata?.namespace as string,
  name: object.metadata?.name as string,
  uid: object.metadata?.uid,
})

/** The object at the top of the controller chain that is in the cache (a pod's Deployment). */
function topController(object: KubeObject, byUid: ReadonlyMap<string, KubeObject>): KubeObject {
  let current = object
  // Bounded: chains are short, and a cycle must not hang the controller.
  for (let depth = 0; depth < 5; depth++) {
    const owner = controllerOf(current)
    const parent = owner?.uid === undefined ? undefined : byUid.get(owner.uid)
    if (parent === undefined) return current
    current = parent
  }
  return current
}

/** The remediation a finding asks for, and the policy that asks. */
function actionFor(finding: Finding, findings: readonly Finding[], input: PlanInput): { action: PlannedRemediation['action']; policy: string } | undefined {
  if (finding.policy === input.minerPolicy) {
    for (const signal of findings.filter(input.isMinerSignal)) {
      const action = input.policies.get(signal.policy)?.remediate
      if (action !== undefined && action !== 'none') return { action, policy: signal.policy }
    }
    return undefined
  }
  if (finding.action !== 'deny') return undefined
  const action = input.policies.get(finding.policy)?.remediate
  return action === undefined || action === 'none' ? undefined : { action, policy: finding.policy }
}

export function planRemediations(input: PlanInput): PlannedRemediation[] {
  if (input.protectedNamespaces.has(input.namespace)) return []
  const byUid = new Map<string, KubeObject>()
  for (const object of input.objects) if (object.metadata?.uid !== undefined) byUid.set(object.metadata.uid, object)
  const planned = new Map<string, PlannedRemediation>()
  for (const object of input.objects) {
    const findings = input.findingsOf(object)
    for (const finding of findings) {
      const wanted = actionFor(finding, findings, input)
      if (wanted === undefined) continue
      // Scaling acts on the top controller; quarantine and eviction act on running pods only.
      const subject = wanted.action === 'scale-to-zero' ? topController(object, byUid) : object.kind === 'Pod' ? object : undefined
      if (subject === undefined) continue
      const target = asTarget(subject)
      const key = `${wanted.action}/${target.kind}/${target.name}`
      if (!planned.has(key)) planned.set(key, { ...wanted, target, finding })
    }
  }
  return [...planned.values()]
}
