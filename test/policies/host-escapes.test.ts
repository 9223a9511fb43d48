import t from 'tap'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { defaultPolicies } from '../helpers/server.ts'

const defaults = await defaultPolicies()
const only = (id: string): PolicySet => ({ ...defaults, policies: defaults.policies.filter((policy) => policy.id === id) })

function podWithHostPaths(...paths: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      containers: [{ name: 'c', image: 'a:1' }],
      volumes: [{ name: 'config', configMap: { name: 'cfg' } }, ...paths.map((path, index) => ({ name: `host-${index}`, hostPath: { path } }))],
    },
  }
}

t.test('hostPath mounts of runtime sockets, the root, /proc, /sys and their parents are refused', async (t) => {
  const pod = podWithHostPaths(
    '/var/run/docker.sock',
    '/run/containerd/containerd.sock/',
    '//var//run/crio/./crio.sock',
    '/proc',
    '/',
    '/var/run',
    '/sys/../proc',
  )
  t.same(
    evaluate({ object: pod }, only('host-path-escapes')).findings.map((finding) => finding.message),
    [
      `spec.volumes[1].hostPath.path: volume "host-0" mounts the host's /var/run/docker.sock (host-path-escapes)`,
      `spec.volumes[2].hostPath.path: volume "host-1" mounts the host's /run/containerd/containerd.sock (host-path-escapes)`,
      `spec.volumes[3].hostPath.path: volume "host-2" mounts the host's /var/run/crio/crio.sock (host-path-escapes)`,
      `spec.volumes[4].hostPath.path: volume "host-3" mounts the host's /proc (host-path-escapes)`,
      `spec.volumes[5].hostPath.path: volume "host-4" mounts the host's / (host-path-escapes)`,
      `spec.volumes[6].hostPath.path: volume "host-5" mounts a parent of the host's /var/run/docker.sock (host-path-escapes)`,
      `spec.volumes[7].hostPath.path: volume "host-6" mounts the host's /proc (host-path-escapes)`,
    ],
  )
})

t.test('ordinary hostPath mounts are admitted', async (t) => {
  const pod = podWithHostPaths('/var/log', '/etc/ssl/certs', '/var/lib/kubelet/pods', '/opt/cni/bin', '/procfs-backup', '/run/xtables.lock')
  t.same(evaluate({ object: pod }, only('host-path-escapes')).findings, [])
})

t.test('added capabilities that reach the node are refused whatever their spelling', async (t) => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'admin', image: 'a:1', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'sys_admin', 'CAP_SYS_PTRACE'] } } },
        { name: 'web', image: 'a:1', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] } } },
        { name: 'plain', image: 'a:1' },
      ],
    },
  }
  t.same(
    evaluate({ object: pod }, only('dangerous-capabilities')).findings.map((finding) => finding.message),
    [
      'spec.containers[0] "admin": securityContext.capabilities.add[1]: adds sys_admin, which reaches the node (dangerous-capabilities)',
      'spec.containers[0] "admin": securityContext.capabilities.add[2]: adds CAP_SYS_PTRACE, which reaches the node (dangerous-capabilities)',
    ],
  )
})
