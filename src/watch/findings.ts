// The findings the controller reports for one object: the engine's, remembered per object
// version (a resync or a neighbour's change does not evaluate it again), plus runtime evidence.
// A pod that burns its CPU and also shows a static miner signal becomes a `miner` finding: the
// two together are the pattern of a disguised miner, and the message carries both.
import { evaluate } from '../engine/evaluate.ts'
import type { Finding, PolicySet } from '../engine/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import type { CpuEvidence } from './cpu-evidence.ts'

export const MINER_POLICY = 'miner'
/** Policies whose findings are static miner signals (images, commands, pools, miner configs). */
export const isMinerSignal = (finding: Finding) => finding.policy.startsWith('miner-')

export class FindingsMemo {
  private readonly remembered = new Map<string, { version: string | undefined; findings: Finding[] }>()
  private readonly policySet: PolicySet
  private readonly evidence: CpuEvidence

  constructor(policySet: PolicySet, evidence: CpuEvidence) {
    this.policySet = policySet
    this.evidence = evidence
  }

  staticFindings(object: KubeObject): Finding[] {
    /* c8 ignore next: the API server sets metadata.uid on every object; the fallback only keys hand-built ones */
    const uid = object.metadata?.uid ?? `${object.kind}/${object.metadata?.namespace}/${object.metadata?.name}`
    const version = object.metadata?.resourceVersion
    const known = this.remembered.get(uid)
    if (known !== undefined && known.version === version && version !== undefined) return known.findings
    const findings = evaluate({ object }, this.policySet).findings
    this.remembered.set(uid, { version, findings })
    return findings
  }

  forget(object: KubeObject): void {
    if (object.metadata?.uid !== undefined) this.remembered.delete(object.metadata.uid)
  }

  findingsOf(object: KubeObject): Finding[] {
    const findings = this.staticFindings(object)
    if (object.kind !== 'Pod') return findings
    const runtime = this.evidence.findingsFor(object)
    if (runtime.length === 0) return findings
    const signals = findings.filter(isMinerSignal)
    if (signals.length === 0) return [...findings, ...runtime]
    const miner: Finding = {
      policy: MINER_POLICY,
      action: 'deny',
      severity: 'critical',
      /* c8 ignore next: runtime is non-empty here (checked above); the ?? only satisfies noUncheckedIndexedAccess */
      path: runtime[0]?.path ?? 'spec',
      message: `a miner by two signs: ${signals.map((finding) => finding.message).join('; ')}; and ${runtime.map((finding) => finding.message).join('; ')} (${MINER_POLICY})`,
    }
    return [...findings, ...runtime, miner]
  }
}
