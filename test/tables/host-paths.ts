// Issue 12's host-path table: every spelling an attacker tried, and what node agents need.
// Shared by the policy test and scripts/count-admitted.ts (the before/after figures).

export interface HostPathCase {
  path: string
  readOnly?: boolean
  subPath?: string
  subPathExpr?: string
  expect: 'deny' | 'warn' | 'allow'
}

const deny = (path: string, extra: Partial<HostPathCase> = {}): HostPathCase => ({ path, expect: 'deny', ...extra })

export const HOST_PATH_CASES: HostPathCase[] = [
  // The node's root and its /proc spellings.
  deny('/'),
  deny('//'),
  deny('/./'),
  deny('/etc/..'),
  deny('/proc/1/root'),
  deny('/proc/self/root'),
  deny('/proc/thread-self/root'),
  deny('/proc/4242/root/'),
  deny('/proc//1/./root'),
  deny('/proc/1/root/etc'),
  deny('/proc/1/task/1/root'),
  deny('/proc/self/cwd'),
  deny('/proc/1/cwd'),
  deny('/proc/1/fd'),
  deny('/proc/1/environ'),
  deny('/proc/sysrq-trigger'),
  deny('/proc/kcore'),
  deny('/proc', { subPath: '1/root' }),
  deny('/proc', { subPath: '1/root', readOnly: true }),
  deny('/proc', { subPathExpr: '$(TARGET)', readOnly: true }),
  deny('/proc/1', { readOnly: false }),
  deny('/proc'),
  deny('/sys'),
  deny('/sys/fs/cgroup'),
  deny('/var/log'),
  deny('/var/log', { subPath: '../../etc', readOnly: true }),
  // Container runtime sockets and state, every runtime, /run and /var/run, parents included.
  deny('/var/run/docker.sock'),
  deny('/run/docker.sock', { readOnly: true }),
  deny('/var/run'),
  deny('/run'),
  deny('/var//run/./docker.sock/'),
  deny('/run/user/1000/docker.sock'),
  deny('/run/user/1000'),
  deny('/run/user'),
  deny('/var/run/containerd/containerd.sock'),
  deny('/run/containerd'),
  deny('/run/user/1000/containerd-rootless/containerd.sock'),
  deny('/var/run/crio/crio.sock'),
  deny('/run/crio/crio.sock', { readOnly: true }),
  deny('/run/podman/podman.sock'),
  deny('/run/user/1000/podman/podman.sock'),
  deny('/var/run/cri-dockerd.sock'),
  deny('/run/cri-dockerd.sock'),
  deny('/var/run/dockershim.sock'),
  deny('/run/buildkit/buildkitd.sock'),
  deny('/run/user/1000/buildkit/buildkitd.sock'),
  deny('/run/k0s/containerd.sock'),
  deny('/run/k3s/containerd/containerd.sock'),
  deny('/var/snap/microk8s/common/run/containerd.sock'),
  deny('/run/containers/0/auth.json'),
  deny('/var/lib/docker'),
  deny('/var/lib/docker/overlay2'),
  deny('/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs'),
  deny('/var/lib/containers/storage'),
  deny('/var/lib/k0s'),
  deny('/var/lib/rancher/k3s/server/token'),
  deny('/var/lib/rancher/rke2'),
  deny('/var/lib'),
  deny('/var'),
  // Kubernetes credentials and what the kubelet runs as root.
  deny('/var/lib/kubelet'),
  deny('/var/lib/kubelet/pods'),
  deny('/var/lib/etcd'),
  deny('/etc/kubernetes'),
  deny('/etc/kubernetes/admin.conf', { readOnly: true }),
  deny('/etc/rancher/k3s/k3s.yaml'),
  deny('/opt/cni/bin'),
  deny('/opt'),
  deny('/usr/libexec/kubernetes/kubelet-plugins/volume/exec'),
  // The node's own system.
  deny('/etc'),
  deny('/etc/cron.d'),
  deny('/etc/', { readOnly: true }),
  deny('/etc/ssl'),
  deny('/etc/ssl/certs'),
  deny('/root'),
  deny('/root/.ssh'),
  deny('/home'),
  deny('/dev'),
  deny('/dev/mem'),
  deny('/boot'),
  deny('/lib/modules'),
  deny('/usr/lib/modules', { readOnly: true }),
  deny('/usr'),
  deny('/lib'),
  deny('/run/log'),
  // Read-only metric paths: a warning, so node agents are admitted.
  { path: '/proc', readOnly: true, expect: 'warn' },
  { path: '/sys', readOnly: true, expect: 'warn' },
  { path: '/sys/fs/cgroup', readOnly: true, expect: 'warn' },
  { path: '/var/log', readOnly: true, expect: 'warn' },
  { path: '/var/log/pods', readOnly: true, expect: 'warn' },
  { path: '/run/log/journal', readOnly: true, expect: 'warn' },
  { path: '/var/log', readOnly: true, subPathExpr: '$(POD_NAME)', expect: 'warn' },
  { path: '/usr', readOnly: true, expect: 'warn' },
  // Any other hostPath: Pod Security baseline forbids it, so it is reported.
  { path: '/data/app', expect: 'warn' },
  { path: '/procfs-backup', expect: 'warn' },
  { path: '/run/xtables.lock', expect: 'warn' },
  { path: '/run/log', readOnly: true, expect: 'warn' },
  // Trust stores and time zone read-only are what many charts mount.
  { path: '/etc/ssl/certs', readOnly: true, expect: 'allow' },
  { path: '/etc/pki/ca-trust', readOnly: true, expect: 'allow' },
  { path: '/usr/share/ca-certificates', readOnly: true, expect: 'allow' },
  { path: '/etc/localtime', readOnly: true, expect: 'allow' },
]

/** A pod whose container mounts the case's hostPath the way the case says. */
export function podForHostPath(entry: HostPathCase): Record<string, unknown> {
  const mount: Record<string, unknown> = { name: 'host', mountPath: '/host' }
  if (entry.readOnly === true) mount.readOnly = true
  if (entry.subPath !== undefined) mount.subPath = entry.subPath
  if (entry.subPathExpr !== undefined) mount.subPathExpr = entry.subPathExpr
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'a:1', volumeMounts: [mount] }], volumes: [{ name: 'host', hostPath: { path: entry.path } }] },
  }
}
