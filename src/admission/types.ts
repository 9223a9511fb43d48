// admission.k8s.io/v1 AdmissionReview, as the API server sends and expects it.
import type { KubeObject } from '../workloads/kubernetes.ts'

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1'

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT'

export interface GroupVersionKind {
  group: string
  version: string
  kind: string
}

export interface GroupVersionResource {
  group: string
  version: string
  resource: string
}

export interface UserInfo {
  username?: string
  uid?: string
  groups?: string[]
}

export interface AdmissionRequest {
  uid: string
  kind: GroupVersionKind
  resource?: GroupVersionResource
  subResource?: string
  requestKind?: GroupVersionKind
  name?: string
  namespace?: string
  operation: Operation
  userInfo?: UserInfo
  object?: KubeObject | null
  oldObject?: KubeObject | null
  dryRun?: boolean
  options?: unknown
}

export interface AdmissionResponse {
  uid: string
  allowed: boolean
  status?: { code: number; reason?: string; message: string }
  patchType?: 'JSONPatch'
  /** base64 of the JSON Patch */
  patch?: string
  warnings?: string[]
  auditAnnotations?: Record<string, string>
}

export interface AdmissionReview {
  apiVersion: typeof ADMISSION_API_VERSION
  kind: 'AdmissionReview'
  request?: AdmissionRequest
  response?: AdmissionResponse
}
