// What a policy file exports. TypeScript policy files import these types only (`import type`),
// so a policies directory mounted from a ConfigMap needs nothing else at run time: helpers
// arrive through `kit`.
import type { Action, ConfigMapValidator, ContainerMutator, ContainerValidator, PodMutator, PodValidator, Remediation, Severity } from '../engine/types.ts'
import type { Intel } from '../intel/types.ts'
import type { PolicyKit } from './api.ts'

export interface PolicyHeader {
  id: string
  description: string
  severity: Severity
  action: Action
  /** What `jackstop watch` does about a deny finding: none (default), scale-to-zero, quarantine, evict. */
  remediate?: Remediation
  exempt?: { namespaces?: string[]; images?: string[]; serviceAccounts?: string[] }
  /** A data file in the policies directory's `data/` folder, handed to `prepare`. */
  data?: string
  /** JSON schema the data file must satisfy; checked at load. */
  dataSchema?: object
}

export interface PrepareInput<Data> {
  data: Data
  /** Threat intelligence from `data/intel/`, every entry with its source and date. */
  intel: Intel
  kit: PolicyKit
}

// `prepare` runs once per load: build matchers there, not in the function it returns.
export interface ContainerValidationPolicy<Data = unknown> extends PolicyHeader {
  target: 'container'
  mode: 'validate'
  prepare(input: PrepareInput<Data>): ContainerValidator
}
export interface PodValidationPolicy<Data = unknown> extends PolicyHeader {
  target: 'pod'
  mode: 'validate'
  prepare(input: PrepareInput<Data>): PodValidator
}
export interface ConfigMapValidationPolicy<Data = unknown> extends PolicyHeader {
  target: 'configmap'
  mode: 'validate'
  prepare(input: PrepareInput<Data>): ConfigMapValidator
}
export interface ContainerMutationPolicy<Data = unknown> extends PolicyHeader {
  target: 'container'
  mode: 'mutate'
  prepare(input: PrepareInput<Data>): ContainerMutator
}
export interface PodMutationPolicy<Data = unknown> extends PolicyHeader {
  target: 'pod'
  mode: 'mutate'
  prepare(input: PrepareInput<Data>): PodMutator
}

export type FunctionPolicy =
  | ContainerValidationPolicy<never>
  | PodValidationPolicy<never>
  | ConfigMapValidationPolicy<never>
  | ContainerMutationPolicy<never>
  | PodMutationPolicy<never>
