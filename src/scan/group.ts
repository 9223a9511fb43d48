// Turns a cluster's objects into report entries: every object evaluated with the webhook's
// policies, pods grouped under the controller at the top of their owner chain, so a
// Deployment's 50 identical pods are one entry ×50, not fifty.
import { evaluate } from '../engine/evaluate.ts'
import type { Finding, PolicySet } from '../engine/types.ts'
import type { ReportedObject } from '../report/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'

type OwnerReference = { kind?: string; name?: string; uid?: string; controller?: boolean }

function controllerOf(object: KubeObject): OwnerReference | undefined {
  const references = (object.metadata?.ownerReferences ?? []) as OwnerReference[]
  return references.find((reference) => reference.controller === true) ?? references[0]
}

/** ReplicaSets of Deployments and Jobs of CronJobs repeat their parent's template. */
function repeatsParentTemplate(object: KubeObject): boolean {
  const owner = controllerOf(object)?.kind
  return (object.kind === 'ReplicaSet' && owner === 'Deployment') || (object.kind === 'Job' && owner === 'CronJob')
}

/** `findingsOf` lets a long-running door remember findings and add runtime evidence (watch). */
export function groupScanResults(
  objects: readonly KubeObject[],
  policySet: PolicySet,
  findingsOf: (object: KubeObject) => Finding[] = (object) => evaluate({ object }, policySet).findings,
): ReportedObject[] {
  const byUid = new Map<string, KubeObject>()
  for (const object of objects) if (object.metadata?.uid !== undefined) byUid.set(object.metadata.uid, object)
  const topOwner = (object: KubeObject): { kind: string; name: string } | undefined => {
    let owner = controllerOf(object)
    let top: { kind: string; name: string } | undefined
    // Bounded walk: ownership chains are short, and a cycle must not hang the scan.
    for (let depth = 0; owner !== undefined && depth < 5; depth++) {
      top = { kind: owner.kind ?? 'Unknown', name: owner.name ?? '' }
      const parent = owner.uid === undefined ? undefined : byUid.get(owner.uid)
      owner = parent === undefined ? undefined : controllerOf(parent)
    }
    return top
  }
  const entries: ReportedObject[] = []
  const podGroups = new Map<string, ReportedObject & { count: number }>()
  for (const object of objects) {
    if (repeatsParentTemplate(object)) continue
    const findings = findingsOf(object)
    const namespace = object.metadata?.namespace
    const name = object.metadata?.name ?? ''
    const owner = object.kind === 'Pod' ? topOwner(object) : undefined
    if (owner === undefined) {
      entries.push({ apiVersion: object.apiVersion, uid: object.metadata?.uid, kind: object.kind as string, namespace, name, source: 'cluster', findings })
      continue
    }
    const key = `${namespace}/${owner.kind}/${owner.name}|${findings.map((finding) => finding.message).join('\n')}`
    const group = podGroups.get(key)
    if (group !== undefined) {
      group.count += 1
      continue
    }
    const entry: ReportedObject & { count: number } = {
      apiVersion: 'v1',
      uid: object.metadata?.uid,
      kind: 'Pod',
      namespace,
      name: `${owner.name}-*`,
      source: `pods of ${owner.kind} ${namespace === undefined ? '' : `${namespace}/`}${owner.name}`,
      count: 1,
      findings,
    }
    podGroups.set(key, entry)
    entries.push(entry)
  }
  return entries
}
