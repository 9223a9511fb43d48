// AdmissionReview fixtures shaped like the API server's: group/version/resource, userInfo,
// options, managedFields on pods a ReplicaSet created.
import type { AdmissionReview, Operation } from '../../src/admission/types.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

const GROUPS: Record<string, { group: string; resource: string }> = {
  Pod: { group: '', resource: 'pods' },
  ConfigMap: { group: '', resource: 'configmaps' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Service: { group: '', resource: 'services' },
}

let counter = 0

export interface ReviewFixture {
  object?: KubeObject | null
  oldObject?: KubeObject | null
  operation?: Operation
  subResource?: string
  namespace?: string
  dryRun?: boolean
  kind?: string
  uid?: string
}

export function admissionReview(fixture: ReviewFixture): AdmissionReview {
  const kind = fixture.kind ?? fixture.object?.kind ?? fixture.oldObject?.kind ?? 'Pod'
  const { group, resource } = GROUPS[kind] ?? { group: 'example.com', resource: 'things' }
  const gvk = { group, version: 'v1', kind }
  const gvr = { group, version: 'v1', resource }
  counter += 1
  const uid = fixture.uid ?? `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`
  const operation = fixture.operation ?? 'CREATE'
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: gvk,
      resource: gvr,
      requestKind: gvk,
      ...(fixture.subResource === undefined ? {} : { subResource: fixture.subResource }),
      name: fixture.object?.metadata?.name ?? fixture.oldObject?.metadata?.name ?? '',
      namespace: fixture.namespace ?? fixture.object?.metadata?.namespace ?? 'shop',
      operation,
      userInfo: { username: 'alice@example.com', groups: ['system:authenticated'] },
      object: fixture.object === undefined ? null : fixture.object,
      oldObject: fixture.oldObject ?? null,
      dryRun: fixture.dryRun ?? false,
    } as AdmissionReview['request'] & object,
  }
}

export interface ContainerFixture {
  name: string
  image: string
  [field: string]: unknown
}

/** A Pod as the API server sends it when a ReplicaSet creates one. */
export function replicaSetPod(containers: ContainerFixture[], spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'web-7d4b9c8f6d-',
      namespace: 'shop',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: '9c1b7a8e-0d7e-4b7e-a5b9-3f1c2d4e5f60', controller: true }],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:generateName': {} }, 'f:spec': { 'f:containers': {} } },
        },
      ],
    },
    spec: {
      containers: containers.map((container) => ({
        terminationMessagePath: '/dev/termination-log',
        imagePullPolicy: 'IfNotPresent',
        resources: {},
        ...container,
      })),
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      securityContext: {},
      ...spec,
    },
    status: { phase: 'Pending' },
  }
}

/** A controller of `kind` whose pod template holds `podSpec`. */
export function controller(kind: string, name: string, podSpec: Record<string, unknown>): KubeObject {
  const template = { metadata: { labels: { app: name } }, spec: podSpec }
  const metadata = { name, namespace: 'shop' }
  const group = GROUPS[kind]?.group
  const apiVersion = group === undefined || group === '' ? 'v1' : `${group}/v1`
  if (kind === 'CronJob') return { apiVersion, kind, metadata, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } } }
  if (kind === 'Job') return { apiVersion, kind, metadata, spec: { template } }
  return { apiVersion, kind, metadata, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template } }
}
