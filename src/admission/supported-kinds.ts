// The kinds jackstop reviews; anything else reaching it is a webhook rule mistake.
import { WORKLOAD_KINDS } from '../workloads/pod-specs.ts'

export const REVIEWED_KINDS: ReadonlySet<string> = new Set([...WORKLOAD_KINDS, 'ConfigMap'])
