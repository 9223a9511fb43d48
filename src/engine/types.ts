// The engine's vocabulary: policies in, findings and patches out.
import type { ReviewBudget } from '../detect/review-budget.ts'
import type { ConfigMapSubject } from '../workloads/config-maps.ts'
import type { KubeObject, V1ConfigMap, V1Container, V1PodSpec } from '../workloads/kubernetes.ts'
import type { ContainerSubject, PodSpecSubject } from '../workloads/pod-specs.ts'

export type Action = 'deny' | 'warn' | 'audit'
export type Severity = 'low' | 'medium' | 'high' | 'critical'
export type Target = 'pod' | 'container' | 'configmap'
export type PolicyMode = 'validate' | 'mutate'

export const ACTIONS: readonly Action[] = ['deny', 'warn', 'audit']
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical']
/** What `jackstop watch` may do about a finding; the engine only carries it. */
export type Remediation = 'none' | 'scale-to-zero' | 'quarantine' | 'evict'
export const REMEDIATIONS: readonly Remediation[] = ['none', 'scale-to-zero', 'quarantine', 'evict']

/** What a policy reports: `field` is relative to its target (`securityContext.privileged`). */
export interface Violation {
  field?: string
  message: string
  /** A scoring policy may soften its own action for a weaker case; it can never harden it. */
  action?: Action
}

export interface Finding {
  policy: string
  action: Action
  severity: Severity
  /** Path in the reviewed object, e.g. `spec.containers[1].image`. */
  path: string
  message: string
}

/**
 * Who asks for the object, from the admission request's userInfo. Absent where nobody asks
 * (check, scan): identity-aware policies then judge nothing.
 */
export interface Requester {
  username: string
  groups: readonly string[]
  /** `namespace:name` when the requester is a service account. */
  serviceAccount: string | undefined
  /** A Kubernetes controller creating the object on someone's behalf (a ReplicaSet's pods): judge the object, not the controller. */
  viaController: boolean
}

export interface PodContext {
  namespace: string | undefined
  pod: PodSpecSubject
  requester?: Requester | undefined
  /** What scanners may still read in this review; shared by every policy and pod spec of it. */
  budget: ReviewBudget
  /** Other objects of the same review (`jackstop check` reads several): the ConfigMaps a pod mounts. */
  related?: readonly KubeObject[] | undefined
}

export interface ContainerContext extends PodContext {
  container: ContainerSubject
}

export interface ConfigMapContext {
  namespace: string | undefined
  configMap: ConfigMapSubject
  requester?: Requester | undefined
  budget: ReviewBudget
}

export type ContainerValidator = (container: V1Container, context: ContainerContext) => Violation[]
export type PodValidator = (spec: V1PodSpec, context: PodContext) => Violation[]
export type ConfigMapValidator = (configMap: V1ConfigMap, context: ConfigMapContext) => Violation[]
/** A mutator edits its draft in place and returns one short description per edit. */
export type ContainerMutator = (draft: V1Container, context: ContainerContext) => string[]
export type PodMutator = (draft: V1PodSpec, context: PodContext) => string[]

export type Check =
  | { mode: 'validate'; target: 'container'; run: ContainerValidator }
  | { mode: 'validate'; target: 'pod'; run: PodValidator }
  | { mode: 'validate'; target: 'configmap'; run: ConfigMapValidator }
  | { mode: 'mutate'; target: 'container'; run: ContainerMutator }
  | { mode: 'mutate'; target: 'pod'; run: PodMutator }

/** Exemptions are compiled once at load; only policy files can set them. */
export interface Exemptions {
  namespaces: ReadonlySet<string>
  /** Matches a normalised image name with or without its tag. */
  images: RegExp | undefined
  /** `namespace:name` of service accounts. */
  serviceAccounts: ReadonlySet<string>
}

export interface Policy {
  id: string
  description: string
  severity: Severity
  action: Action
  /** The file the policy came from, for reports. */
  file: string
  exempt: Exemptions
  check: Check
  /** What `jackstop watch` does about a deny finding of this policy; absent means none. */
  remediate?: Remediation
}

export interface PolicySet {
  policies: readonly Policy[]
  /** The directory the set was loaded from. */
  source: string
  loadedAt: Date
}

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; path: string; from: string }

export interface Mutation {
  policy: string
  path: string
  description: string
}

export interface Decision {
  findings: Finding[]
  /** RFC 6902 operations against the object as given; empty when nothing changed. */
  patch: JsonPatchOperation[]
  mutations: Mutation[]
}
