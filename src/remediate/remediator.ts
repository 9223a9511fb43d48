// Carries out planned remediations: in a dry run, only says what it would do (a log line, an
// Event, a line in the report); when enforcing, does it, then says what it did and how to undo
// it. Each remediation happens once per version of its target, however often it is planned.
import type { Remediation } from '../engine/types.ts'
import type { ClusterClient } from '../kube/cluster.ts'
import { describeApiError } from '../kube/list.ts'
import { type EventReason, recordEvent } from './event.ts'
import { describeEvict, evict } from './evict.ts'
import type { PlannedRemediation } from './plan.ts'
import { describeQuarantine, quarantine } from './quarantine.ts'
import type { RemediationRecord, RemediationTarget } from './record.ts'
import { describeScaleToZero, scaleToZero } from './scale-to-zero.ts'

export const REMEDIATION_MODES = ['dry-run', 'enforce'] as const
export type RemediationMode = (typeof REMEDIATION_MODES)[number]
type Act = (client: ClusterClient, target: RemediationTarget, policy: string, now: Date) => Promise<RemediationRecord | undefined>

const ACTIONS: Record<Exclude<Remediation, 'none'>, { describe(target: RemediationTarget): string; act: Act }> = {
  'scale-to-zero': { describe: describeScaleToZero, act: scaleToZero },
  quarantine: { describe: describeQuarantine, act: quarantine },
  evict: { describe: describeEvict, act: evict },
}

export interface RemediationLog {
  info(fields: object, message: string): void
  error(fields: object, message: string): void
}

export interface RemediatorOptions {
  client: ClusterClient
  mode: RemediationMode
  log: RemediationLog
  now(): Date
  /** Counts each outcome: done, would (dry run), failed. */
  count(action: string, mode: RemediationMode, outcome: 'done' | 'would' | 'failed'): void
}

/** A line for the namespace's report: what was (or would be) done to which object. */
export interface RemediationNote {
  target: PlannedRemediation['target']
  policy: string
  message: string
}

export interface RemediationOutcome {
  /** One per plan, failed ones included, so the report says what did not happen too. */
  notes: RemediationNote[]
  /** What the API threw, for the caller to retry after it has written the report. */
  failures: unknown[]
}

export class Remediator {
  private readonly options: RemediatorOptions
  /** `action/kind/namespace/name` -> the target's resourceVersion when it was handled. */
  private readonly handled = new Map<string, string | undefined>()
  /** `action/kind/namespace/name` -> the failure last recorded as an Event: a retry failing the same way adds none. */
  private readonly failed = new Map<string, string>()

  constructor(options: RemediatorOptions) {
    this.options = options
  }

  /** Forget what was handled (a new leader cannot know what the old one did in memory). */
  reset(): void {
    this.handled.clear()
    this.failed.clear()
  }

  async apply(plans: readonly PlannedRemediation[], versionOf: (target: PlannedRemediation['target']) => string | undefined): Promise<RemediationOutcome> {
    const { client, mode, log, now } = this.options
    const notes: RemediationNote[] = []
    const failures: unknown[] = []
    for (const plan of plans) {
      const { describe, act } = ACTIONS[plan.action]
      const description = describe(plan.target)
      const key = `${plan.action}/${plan.target.kind}/${plan.target.namespace}/${plan.target.name}`
      const version = versionOf(plan.target)
      const fields = { action: plan.action, mode, policy: plan.policy, target: `${plan.target.kind} ${plan.target.namespace}/${plan.target.name}` }
      const note: RemediationNote = {
        target: plan.target,
        policy: plan.policy,
        message: `${mode === 'enforce' ? 'remediation' : 'dry run, nothing changed'}: ${description} (${plan.policy})`,
      }
      notes.push(note)
      if (this.handled.has(key) && (mode === 'dry-run' || this.handled.get(key) === version)) continue
      const at = now()
      if (mode === 'dry-run') {
        log.info({ ...fields, finding: plan.finding.message }, `would ${description}`)
        await this.event(plan.target, 'WouldRemediate', `dry run: jackstop would ${description}, for: ${plan.finding.message}`, at, fields)
        this.options.count(plan.action, mode, 'would')
        this.handled.set(key, version)
        continue
      }
      try {
        const done = await act(client, plan.target, plan.policy, at)
        this.handled.set(key, version)
        this.failed.delete(key)
        if (done === undefined) continue
        log.info({ ...fields, finding: plan.finding.message, undo: done.undo }, done.did)
        this.options.count(plan.action, mode, 'done')
        await this.event(plan.target, 'Remediated', `jackstop did ${done.did}, for: ${plan.finding.message}. To undo: ${done.undo}`, at, fields)
      } catch (error) {
        // One failure must not stop the other remediations, nor hide the findings: the report
        // says it failed, and the queue retries the namespace.
        log.error({ ...fields, error: describeApiError(error) }, `cannot ${description}`)
        this.options.count(plan.action, mode, 'failed')
        const reason = `cannot ${description} (${plan.policy}): ${describeApiError(error)}`
        note.message = `remediation failed, retried: ${reason}`
        failures.push(error)
        if (this.failed.get(key) !== reason) {
          this.failed.set(key, reason)
          await this.event(plan.target, 'RemediationFailed', `jackstop ${reason}; retrying. Finding: ${plan.finding.message}`, at, fields)
        }
      }
    }
    return { notes, failures }
  }

  /**
   * Events are best effort, as client-go's recorder treats them: one the API refuses is logged,
   * and neither undoes the action nor keeps the report from being written.
   */
  private async event(target: PlannedRemediation['target'], reason: EventReason, message: string, at: Date, fields: object): Promise<void> {
    try {
      await recordEvent(this.options.client, target, reason, message, at)
    } catch (error) {
      this.options.log.error({ ...fields, error: describeApiError(error) }, `cannot record the ${reason} Event`)
    }
  }
}
