import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { parse, stringify } from 'yaml'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { DEFAULT_POLICIES, defaultPolicies } from '../helpers/server.ts'
import { CAPABILITY_CASES } from '../tables/capabilities.ts'
import { HOST_PATH_CASES, podForHostPath } from '../tables/host-paths.ts'

const defaults = await defaultPolicies()
const only = (id: string, set: PolicySet = defaults): PolicySet => ({ ...set, policies: set.policies.filter((policy) => policy.id === id) })
const hostPaths = only('host-path-escapes')

function outcome(object: KubeObject, policies: PolicySet): 'deny' | 'warn' | 'allow' {
  const actions = evaluate({ object }, policies).findings.map((finding) => finding.action)
  return actions.includes('deny') ? 'deny' : actions.includes('warn') ? 'warn' : 'allow'
}

for (const entry of HOST_PATH_CASES) {
  const how = [
    entry.readOnly === true ? 'read-only' : 'writable',
    entry.subPath === undefined ? '' : `subPath ${entry.subPath}`,
    entry.subPathExpr === undefined ? '' : `subPathExpr ${entry.subPathExpr}`,
  ]
    .filter(Boolean)
    .join(', ')
  t.test(`hostPath ${entry.path} (${how}) is ${entry.expect === 'allow' ? 'admitted' : entry.expect === 'deny' ? 'refused' : 'warned about'}`, async (t) => {
    t.equal(outcome(podForHostPath(entry) as KubeObject, hostPaths), entry.expect)
  })
}

function podWith(volumes: unknown[], containers: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'monitoring' }, spec: { containers, volumes, ...extra } }
}

t.test('volumes that are not hostPaths are not judged, in a pod from a file without a namespace', async (t) => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [{ name: 'c', image: 'a:1' }],
      volumes: [
        { name: 'config', configMap: { name: 'cfg' } },
        { name: 'scratch', emptyDir: {} },
      ],
    },
  }
  t.same(evaluate({ object: pod }, hostPaths).findings, [])
})

t.test('each finding names the volume, the path it reaches and why, at the field to change', async (t) => {
  const pod = podWith(
    [
      { name: 'sock', hostPath: { path: '/var/run/containerd/containerd.sock' } },
      { name: 'kubelet', hostPath: { path: '/var/lib/kubelet/pods' } },
      { name: 'var', hostPath: { path: '/var' } },
      { name: 'proc', hostPath: { path: '/proc' } },
      { name: 'logs', hostPath: { path: '/var/log' } },
      { name: 'data', hostPath: { path: '/data' } },
      { name: 'unused', hostPath: { path: '/run/k3s' } },
    ],
    [
      {
        name: 'agent',
        image: 'a:1',
        volumeMounts: [
          { name: 'sock', mountPath: '/s' },
          { name: 'kubelet', mountPath: '/k', readOnly: true },
          { name: 'var', mountPath: '/v', readOnly: true },
          { name: 'proc', mountPath: '/p', readOnly: true, subPath: '1/root' },
          { name: 'logs', mountPath: '/l' },
          { name: 'data', mountPath: '/d' },
        ],
      },
    ],
  )
  t.same(
    evaluate({ object: pod }, hostPaths).findings.map(({ action, path, message }) => ({ action, path, message })),
    [
      {
        action: 'deny',
        path: 'spec.volumes[0].hostPath.path',
        message:
          'spec.volumes[0].hostPath.path: volume "sock" mounts the host\'s /run/containerd/containerd.sock, inside /run/containerd (writable in container "agent"): containerd\'s API socket and its shims\' sockets (host-path-escapes)',
      },
      {
        action: 'deny',
        path: 'spec.volumes[1].hostPath.path',
        message:
          'spec.volumes[1].hostPath.path: volume "kubelet" mounts the host\'s /var/lib/kubelet/pods, inside /var/lib/kubelet (read-only in container "agent"): every pod\'s service-account token and volumes, and the kubelet\'s credentials (host-path-escapes)',
      },
      {
        action: 'deny',
        path: 'spec.volumes[2].hostPath.path',
        message:
          'spec.volumes[2].hostPath.path: volume "var" mounts the host\'s /var, which holds /var/snap/microk8s (read-only in container "agent"): microk8s\'s containerd socket, certificates and credentials (host-path-escapes)',
      },
      {
        action: 'deny',
        path: 'spec.containers[0].volumeMounts[3]',
        message:
          'spec.containers[0].volumeMounts[3]: volume "proc" mounts the host\'s /proc/1/root (read-only in container "agent" at subPath "1/root"): a process\'s root directory: the node\'s / for any host pid (host-path-escapes)',
      },
      {
        action: 'deny',
        path: 'spec.containers[0].volumeMounts[4]',
        message:
          'spec.containers[0].volumeMounts[4]: volume "logs" mounts the host\'s /var/log (writable in container "agent"): every pod\'s logs; writable, a symlink there makes the kubelet serve any node file; mount it readOnly (host-path-escapes)',
      },
      {
        action: 'warn',
        path: 'spec.volumes[5].hostPath.path',
        message:
          'spec.volumes[5].hostPath.path: volume "data" mounts the host\'s /data (writable in container "agent"): Pod Security baseline forbids hostPath volumes (host-path-escapes)',
      },
      {
        action: 'deny',
        path: 'spec.volumes[6].hostPath.path',
        message:
          'spec.volumes[6].hostPath.path: volume "unused" mounts the host\'s /run/k3s (not mounted by any container): the containerd socket of k3s and RKE2 (/run/k3s/containerd/containerd.sock) (host-path-escapes)',
      },
    ],
  )
})

t.test('a volume mounted read-only in one container and writable in another is judged by the writable mount', async (t) => {
  const pod = podWith(
    [{ name: 'logs', hostPath: { path: '/var/log' } }],
    [
      { name: 'reader', image: 'a:1', volumeMounts: [{ name: 'logs', mountPath: '/l', readOnly: true }] },
      { name: 'writer', image: 'a:1', volumeMounts: [{ name: 'logs', mountPath: '/l' }] },
    ],
  )
  t.same(
    evaluate({ object: pod }, hostPaths).findings.map(({ action, path }) => ({ action, path })),
    [{ action: 'deny', path: 'spec.containers[1].volumeMounts[0]' }],
  )
})

t.test('an ephemeral container that mounts /proc at a pid root is refused', async (t) => {
  const pod = podWith([{ name: 'proc', hostPath: { path: '/proc' } }], [{ name: 'app', image: 'a:1' }], {
    ephemeralContainers: [{ name: 'debug', image: 'a:1', volumeMounts: [{ name: 'proc', mountPath: '/p', readOnly: true, subPath: 'self/root' }] }],
  })
  t.same(
    evaluate({ object: pod }, hostPaths).findings.map(({ action, path }) => ({ action, path })),
    [{ action: 'deny', path: 'spec.ephemeralContainers[0].volumeMounts[0]' }],
  )
})

async function policiesWith(edit: (data: Record<'hostPaths' | 'capabilities', Record<string, unknown>>) => void, t: Test): Promise<PolicySet> {
  const data = parse(readFileSync(`${DEFAULT_POLICIES}data/host-escapes.yaml`, 'utf8')) as Record<'hostPaths' | 'capabilities', Record<string, unknown>>
  edit(data)
  const dir = t.testdir({
    // Re-exports run the shipped policy files themselves, with the test's data beside them.
    'host-path-escapes.ts': `export { default } from '${DEFAULT_POLICIES}host-path-escapes.ts'\n`,
    'dangerous-capabilities.ts': `export { default } from '${DEFAULT_POLICIES}dangerous-capabilities.ts'\n`,
    data: { 'host-escapes.yaml': stringify(data) },
  })
  return loadPolicySet(dir)
}

t.test('a node agent listed in the data mounts its paths read-only with no finding, and nothing more', async (t) => {
  const set = await policiesWith((data) => {
    data.hostPaths.nodeAgents = [
      { serviceAccount: 'monitoring:node-exporter', paths: ['/', '/proc', '/sys'] },
      { serviceAccount: 'monitoring:cadvisor', paths: ['/sys'] },
    ]
  }, t)
  const exporter = (path: string, readOnly: boolean, serviceAccountName = 'node-exporter') =>
    podWith([{ name: 'host', hostPath: { path } }], [{ name: 'exporter', image: 'a:1', volumeMounts: [{ name: 'host', mountPath: '/host', readOnly }] }], {
      serviceAccountName,
    })
  t.same(evaluate({ object: exporter('/', true) }, only('host-path-escapes', set)).findings, [])
  t.same(evaluate({ object: exporter('/proc', true) }, only('host-path-escapes', set)).findings, [])
  t.same(evaluate({ object: exporter('/sys/fs/cgroup', true, 'cadvisor') }, only('host-path-escapes', set)).findings, [])
  t.equal(outcome(exporter('/var/log', true, 'cadvisor'), only('host-path-escapes', set)), 'warn', 'a path it does not list keeps its finding')
  t.equal(outcome(exporter('/', false), only('host-path-escapes', set)), 'deny', 'writable is still refused')
  t.equal(outcome(exporter('/', true, 'default'), only('host-path-escapes', set)), 'deny', 'another account is still refused')
})

t.test('the action for other hostPaths and for outside-baseline capabilities is set in the data', async (t) => {
  const set = await policiesWith((data) => {
    data.hostPaths.otherPaths = 'allow'
    data.capabilities.outsideBaseline = 'deny'
  }, t)
  t.equal(outcome(podForHostPath({ path: '/data', expect: 'allow' }) as KubeObject, only('host-path-escapes', set)), 'allow')
  t.equal(outcome(podWithCapabilities(['NET_RAW']), only('dangerous-capabilities', set)), 'deny')
})

function podWithCapabilities(add: unknown[]): KubeObject {
  return podWith([], [{ name: 'c', image: 'a:1', securityContext: { capabilities: { add } } }])
}

for (const entry of CAPABILITY_CASES) {
  t.test(`adding ${entry.capability} is ${entry.expect === 'allow' ? 'admitted' : entry.expect === 'deny' ? 'refused' : 'warned about'}`, async (t) => {
    t.equal(outcome(podWithCapabilities([entry.capability]), only('dangerous-capabilities')), entry.expect)
  })
}

t.test('capability findings say why, and point at the entry to remove', async (t) => {
  const pod: KubeObject = podWith(
    [],
    [
      {
        name: 'admin',
        image: 'a:1',
        securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'sys_admin', 'CAP_SYS_PTRACE', 'NET_RAW', 'CAP_CHOWN', 7] } },
      },
      { name: 'web', image: 'a:1', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] } } },
    ],
  )
  t.same(
    evaluate({ object: pod }, only('dangerous-capabilities')).findings.map(({ action, message }) => ({ action, message })),
    [
      {
        action: 'deny',
        message: 'spec.containers[0] "admin": securityContext.capabilities.add[1]: adds sys_admin, which reaches the node (dangerous-capabilities)',
      },
      {
        action: 'deny',
        message: 'spec.containers[0] "admin": securityContext.capabilities.add[2]: adds CAP_SYS_PTRACE, which reaches the node (dangerous-capabilities)',
      },
      {
        action: 'warn',
        message:
          'spec.containers[0] "admin": securityContext.capabilities.add[3]: adds NET_RAW, outside the Pod Security baseline set (dangerous-capabilities)',
      },
      {
        action: 'warn',
        message:
          'spec.containers[0] "admin": securityContext.capabilities.add[4]: adds CAP_CHOWN, outside the Pod Security baseline set; Pod Security baseline accepts it only spelled CHOWN (dangerous-capabilities)',
      },
      { action: 'deny', message: 'spec.containers[0] "admin": securityContext.capabilities.add[5]: is not a capability name (dangerous-capabilities)' },
    ],
  )
})
