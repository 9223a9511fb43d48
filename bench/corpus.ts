// The review bodies the benchmarks send: a 2 KB pod, a 10 KB pod created by a ReplicaSet
// (managedFields, env, probes, as the API server sends it) and a 100 KB pod; and a mixed
// corpus shaped like a busy cluster's admission traffic (mixedCorpus).

function container(name: string, envCount: number, image: string) {
  return {
    name,
    image,
    command: ['/app/server'],
    args: ['--listen=:8080', '--log-format=json', `--name=${name}`],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: Array.from({ length: envCount }, (_, index) => ({ name: `SETTING_${index}`, value: `value-${index}-${'x'.repeat(24)}` })),
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
    livenessProbe: {
      httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    volumeMounts: [{ name: 'kube-api-access-x7k2p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  }
}

function managedFields(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    manager: index === 0 ? 'kube-controller-manager' : `operator-${index}`,
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-24T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': {
        'f:generateName': {},
        'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} },
        'f:ownerReferences': { '.': {}, 'k:{"uid":"9c1b7a8e"}': {} },
      },
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': { '.': {}, 'f:env': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:ports': {}, 'f:resources': {} },
        },
      },
    },
  }))
}

function pod(containers: ReturnType<typeof container>[], fields: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'checkout-7d4b9c8f6d-',
      namespace: 'shop',
      labels: { app: 'checkout', 'pod-template-hash': '7d4b9c8f6d' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-7d4b9c8f6d', uid: '9c1b7a8e', controller: true, blockOwnerDeletion: true },
      ],
      managedFields: managedFields(fields),
    },
    spec: {
      volumes: [
        { name: 'kube-api-access-x7k2p', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }], defaultMode: 420 } },
      ],
      containers,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'checkout',
      serviceAccount: 'checkout',
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  }
}

function review(object: unknown, uid: string) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  }
}

export interface CorpusEntry {
  name: string
  body: string
  object: Record<string, unknown>
}

export function benchCorpus(): CorpusEntry[] {
  const { readinessProbe: _r, livenessProbe: _l, ...plain } = container('app', 0, 'registry.example.com/shop/checkout:1.4.2')
  const small = pod([plain as ReturnType<typeof container>], 1)
  const medium = pod([container('app', 40, 'registry.example.com/shop/checkout:1.4.2'), container('sidecar', 20, 'envoyproxy/envoy:v1.31.0')], 6)
  const large = pod(
    Array.from({ length: 10 }, (_, index) => container(`worker-${index}`, 120, 'registry.example.com/shop/worker:2.0.0')),
    20,
  )
  return [
    { name: '2KB pod', object: small },
    { name: '10KB pod', object: medium },
    { name: '100KB pod', object: large },
  ].map(({ name, object }) => ({ name, object, body: JSON.stringify(review(object, '705ab4f5-6393-11e8-b7cc-42010a800002')) }))
}

/**
 * Sixteen reviews sent in turn, mean about 15 KB (issue 10, item 7): four 2 KB pods, ten
 * ReplicaSet pods of 10 to 13 KB, one 100 KB pod (1 in 16) and one miner pod refused (1 in 16).
 */
export function mixedCorpus(): CorpusEntry[] {
  const entries: { name: string; object: Record<string, unknown> }[] = []
  const { readinessProbe: _r, livenessProbe: _l, ...plain } = container('app', 0, 'registry.example.com/shop/checkout:1.4.2')
  for (let index = 0; index < 4; index++) entries.push({ name: '2KB pod', object: pod([plain as ReturnType<typeof container>], 1) })
  for (let index = 0; index < 10; index++) {
    // 45 to 90 env entries in the app container: 10 to 13 KB.
    const env = 45 + (index % 4) * 15
    const object = pod([container('app', env, 'registry.example.com/shop/checkout:1.4.2'), container('sidecar', 20, 'envoyproxy/envoy:v1.31.0')], 6)
    entries.push({ name: 'ReplicaSet pod', object })
  }
  entries.push({
    name: '100KB pod',
    object: pod(
      Array.from({ length: 10 }, (_, index) => container(`worker-${index}`, 120, 'registry.example.com/shop/worker:2.0.0')),
      20,
    ),
  })
  const miner = container('app', 60, 'docker.io/xmrig/xmrig:6.21.0')
  entries.push({ name: 'denied miner pod', object: pod([{ ...miner, args: ['-o', 'pool.supportxmr.com:443', '--donate-level=1'] }], 6) })
  // Interleaved so that the large and the denied reviews do not arrive back to back.
  const order = [0, 4, 5, 6, 1, 7, 8, 14, 2, 9, 10, 11, 3, 12, 13, 15]
  return order.map((at, index) => {
    const { name, object } = entries[at] as (typeof entries)[number]
    return { name, object, body: JSON.stringify(review(object, `705ab4f5-6393-11e8-b7cc-${String(index).padStart(12, '0')}`)) }
  })
}
