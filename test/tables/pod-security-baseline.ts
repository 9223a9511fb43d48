// Pod Security baseline violations (Kubernetes 1.37), written from the documented rules in the
// shapes of kubernetes/pod-security-admission's test/testdata/baseline fixtures: one check broken
// per pod, in the pod, a container, an init container or an ephemeral container.
// Shared by the policy test and scripts/count-admitted.ts (the before/after figures).

export interface BaselineCase {
  name: string
  /** The Pod Security check the pod breaks. */
  check: string
  spec: Record<string, unknown>
  annotations?: Record<string, string>
  /** The jackstop policy that reports it, and its default action. */
  policy: string
  expect: 'deny' | 'warn'
}

const app = (securityContext?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'container1',
  image: 'registry.k8s.io/pause',
  ...(securityContext === undefined ? {} : { securityContext }),
  ...extra,
})
const init = (securityContext?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...app(securityContext, extra), name: 'initcontainer1' })
const debug = (securityContext?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...app(securityContext, extra),
  name: 'debugger',
  targetContainerName: 'container1',
})
const pod = (containers: unknown[], initContainers: unknown[] = [init()], extra: Record<string, unknown> = {}) => ({ containers, initContainers, ...extra })

const probe = (kind: 'httpGet' | 'tcpSocket', host: string) => ({ [kind]: { host, port: 8080, ...(kind === 'httpGet' ? { path: '/' } : {}) } })

export const BASELINE_CASES: BaselineCase[] = [
  // appArmorProfile: annotations and fields, only RuntimeDefault/Localhost (runtime/default, localhost/*) allowed.
  {
    name: 'apparmor annotation unconfined on a container',
    check: 'appArmorProfile',
    spec: pod([app()]),
    annotations: { 'container.apparmor.security.beta.kubernetes.io/container1': 'unconfined' },
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'apparmor annotation unconfined on an init container',
    check: 'appArmorProfile',
    spec: pod([app()]),
    annotations: { 'container.apparmor.security.beta.kubernetes.io/initcontainer1': 'unconfined' },
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'apparmor annotation with an unknown value',
    check: 'appArmorProfile',
    spec: pod([app()]),
    annotations: { 'container.apparmor.security.beta.kubernetes.io/container1': 'docker-default' },
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'apparmor field Unconfined on the pod',
    check: 'appArmorProfile',
    spec: pod([app()], [init()], { securityContext: { appArmorProfile: { type: 'Unconfined' } } }),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'apparmor field Unconfined on a container',
    check: 'appArmorProfile',
    spec: pod([app({ appArmorProfile: { type: 'Unconfined' } })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'apparmor field Unconfined on an ephemeral container',
    check: 'appArmorProfile',
    spec: pod([app()], [], { ephemeralContainers: [debug({ appArmorProfile: { type: 'Unconfined' } })] }),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  // capabilities_baseline: only the default set, spelled exactly.
  {
    name: 'capability NET_RAW on a container',
    check: 'capabilities_baseline',
    spec: pod([app({ capabilities: { add: ['NET_RAW'] } })]),
    policy: 'dangerous-capabilities',
    expect: 'warn',
  },
  {
    name: 'capability SYS_ADMIN on an init container',
    check: 'capabilities_baseline',
    spec: pod([app()], [init({ capabilities: { add: ['SYS_ADMIN'] } })]),
    policy: 'dangerous-capabilities',
    expect: 'deny',
  },
  {
    name: 'capability CAP_CHOWN spelled with its prefix',
    check: 'capabilities_baseline',
    spec: pod([app({ capabilities: { add: ['CAP_CHOWN'] } })]),
    policy: 'dangerous-capabilities',
    expect: 'warn',
  },
  {
    name: 'capability chown in lower case',
    check: 'capabilities_baseline',
    spec: pod([app({ capabilities: { add: ['chown'] } })]),
    policy: 'dangerous-capabilities',
    expect: 'warn',
  },
  {
    name: 'capability SYS_NICE on an ephemeral container',
    check: 'capabilities_baseline',
    spec: pod([app()], [], { ephemeralContainers: [debug({ capabilities: { add: ['SYS_NICE'] } })] }),
    policy: 'dangerous-capabilities',
    expect: 'warn',
  },
  // hostNamespaces
  { name: 'hostNetwork', check: 'hostNamespaces', spec: pod([app()], [init()], { hostNetwork: true }), policy: 'host-namespaces', expect: 'deny' },
  { name: 'hostPID', check: 'hostNamespaces', spec: pod([app()], [init()], { hostPID: true }), policy: 'host-namespaces', expect: 'deny' },
  { name: 'hostIPC', check: 'hostNamespaces', spec: pod([app()], [init()], { hostIPC: true }), policy: 'host-namespaces', expect: 'deny' },
  // hostPathVolumes: every hostPath.
  {
    name: 'an ordinary hostPath volume',
    check: 'hostPathVolumes',
    spec: pod([app()], [init()], { volumes: [{ name: 'volume-hostpath', hostPath: { path: '/dev/null' } }] }),
    policy: 'host-path-escapes',
    expect: 'deny',
  },
  {
    name: 'a hostPath volume beside an emptyDir',
    check: 'hostPathVolumes',
    spec: pod([app()], [init()], {
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'data', hostPath: { path: '/data' } },
      ],
    }),
    policy: 'host-path-escapes',
    expect: 'warn',
  },
  // hostPorts: any non-zero hostPort.
  {
    name: 'hostPort on a container',
    check: 'hostPorts',
    spec: pod([app(undefined, { ports: [{ containerPort: 12345, hostPort: 12345 }] })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'hostPort on an init container',
    check: 'hostPorts',
    spec: pod([app()], [init(undefined, { ports: [{ containerPort: 12346, hostPort: 12346 }] })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'hostPort beside a plain port',
    check: 'hostPorts',
    spec: pod([app(undefined, { ports: [{ containerPort: 12347 }, { containerPort: 3333, hostPort: 3333 }] })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  // hostProbesAndHostLifecycle: the host field of probes and hooks.
  {
    name: 'liveness httpGet host',
    check: 'hostProbesAndHostLifecycle',
    spec: pod([app(undefined, { livenessProbe: probe('httpGet', 'bad.host') })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'readiness tcpSocket host',
    check: 'hostProbesAndHostLifecycle',
    spec: pod([app(undefined, { readinessProbe: probe('tcpSocket', '::1') })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'startup httpGet host',
    check: 'hostProbesAndHostLifecycle',
    spec: pod([app(undefined, { startupProbe: probe('httpGet', '169.254.169.254') })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'postStart httpGet host',
    check: 'hostProbesAndHostLifecycle',
    spec: pod([app(undefined, { lifecycle: { postStart: probe('httpGet', '10.0.0.1') } })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'preStop tcpSocket host',
    check: 'hostProbesAndHostLifecycle',
    spec: pod([app(undefined, { lifecycle: { preStop: probe('tcpSocket', 'localhost') } })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'init container probe host',
    check: 'hostProbesAndHostLifecycle',
    spec: pod([app()], [init(undefined, { livenessProbe: probe('tcpSocket', 'bad.host') })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  // privileged
  { name: 'privileged container', check: 'privileged', spec: pod([app({ privileged: true })]), policy: 'privileged', expect: 'deny' },
  { name: 'privileged init container', check: 'privileged', spec: pod([app()], [init({ privileged: true })]), policy: 'privileged', expect: 'deny' },
  {
    name: 'privileged ephemeral container',
    check: 'privileged',
    spec: pod([app()], [], { ephemeralContainers: [debug({ privileged: true })] }),
    policy: 'privileged',
    expect: 'deny',
  },
  // procMount: Default or unset, unless hostUsers is false.
  {
    name: 'procMount Unmasked',
    check: 'procMount',
    spec: pod([app({ procMount: 'Unmasked' })], [init()], { hostUsers: true }),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  {
    name: 'procMount Unmasked on an init container',
    check: 'procMount',
    spec: pod([app({})], [init({ procMount: 'Unmasked' })], { hostUsers: true }),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  {
    name: 'procMount Unmasked with hostUsers unset',
    check: 'procMount',
    spec: pod([app({ procMount: 'Unmasked' })]),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  // seccompProfile: RuntimeDefault or Localhost.
  {
    name: 'seccomp Unconfined on the pod',
    check: 'seccompProfile_baseline',
    spec: pod([app()], [init()], { securityContext: { seccompProfile: { type: 'Unconfined' } } }),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'seccomp Unconfined on a container',
    check: 'seccompProfile_baseline',
    spec: pod([app({ seccompProfile: { type: 'Unconfined' } })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'seccomp Unconfined on an init container',
    check: 'seccompProfile_baseline',
    spec: pod([app({})], [init({ seccompProfile: { type: 'Unconfined' } })]),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  // seLinuxOptions: allowed types, no user, no role.
  {
    name: 'SELinux type spc_t on the pod',
    check: 'seLinuxOptions',
    spec: pod([app()], [init()], { securityContext: { seLinuxOptions: { type: 'spc_t' } } }),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  {
    name: 'SELinux type spc_t on a container',
    check: 'seLinuxOptions',
    spec: pod([app({ seLinuxOptions: { type: 'spc_t' } })]),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  {
    name: 'SELinux type on an init container',
    check: 'seLinuxOptions',
    spec: pod([app()], [init({ seLinuxOptions: { type: 'unconfined_t' } })]),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  {
    name: 'SELinux user on the pod',
    check: 'seLinuxOptions',
    spec: pod([app()], [init()], { securityContext: { seLinuxOptions: { user: 'somevalue' } } }),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  {
    name: 'SELinux role on the pod',
    check: 'seLinuxOptions',
    spec: pod([app({ seLinuxOptions: {} })], [init({ seLinuxOptions: {} })], { securityContext: { seLinuxOptions: { role: 'somevalue' } } }),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  // sysctls: the safe set of the version.
  {
    name: 'an unsafe sysctl',
    check: 'sysctls',
    spec: pod([app()], [init()], { securityContext: { sysctls: [{ name: 'othersysctl', value: 'other' }] } }),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'kernel.core_pattern',
    check: 'sysctls',
    spec: pod([app()], [init()], { securityContext: { sysctls: [{ name: 'kernel.core_pattern', value: '|/tmp/x' }] } }),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  {
    name: 'an unsafe sysctl after a safe one',
    check: 'sysctls',
    spec: pod([app()], [init()], {
      securityContext: {
        sysctls: [
          { name: 'net.ipv4.tcp_syncookies', value: '1' },
          { name: 'vm.nr_hugepages', value: '512' },
        ],
      },
    }),
    policy: 'pod-security-baseline',
    expect: 'warn',
  },
  // windowsHostProcess
  {
    name: 'HostProcess container',
    check: 'windowsHostProcess',
    spec: pod([app({ windowsOptions: { hostProcess: true } })], [init({ windowsOptions: { hostProcess: true } })], {
      hostNetwork: true,
      securityContext: { windowsOptions: {} },
    }),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
  {
    name: 'HostProcess pod',
    check: 'windowsHostProcess',
    spec: pod([app()], [init()], { hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } } }),
    policy: 'pod-security-baseline',
    expect: 'deny',
  },
]

/** Shapes every baseline check allows: none of them may draw a finding from pod-security-baseline. */
export const BASELINE_ALLOWED: { name: string; spec: Record<string, unknown>; annotations?: Record<string, string> }[] = [
  {
    name: 'AppArmor runtime/default and localhost annotations, an empty one',
    spec: pod([app()]),
    annotations: {
      'container.apparmor.security.beta.kubernetes.io/container1': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/initcontainer1': 'localhost/custom',
      'container.apparmor.security.beta.kubernetes.io/other': '',
    },
  },
  {
    name: 'AppArmor RuntimeDefault and Localhost fields',
    spec: pod([app({ appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })], [init()], {
      securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
    }),
  },
  {
    name: 'seccomp RuntimeDefault and Localhost',
    spec: pod([app({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } })], [init()], {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    }),
  },
  {
    name: 'SELinux container types and a level',
    spec: pod([app({ seLinuxOptions: { type: 'container_engine_t' } })], [init({ seLinuxOptions: { type: 'container_init_t' } })], {
      securityContext: { seLinuxOptions: { level: 's0:c123,c456' } },
    }),
  },
  {
    name: 'procMount Default, and Unmasked in a user namespace',
    spec: pod([app({ procMount: 'Unmasked' })], [init({ procMount: 'Default' })], { hostUsers: false }),
  },
  {
    name: 'every safe sysctl of 1.37',
    spec: pod([app()], [init()], {
      securityContext: {
        sysctls: [
          'kernel.shm_rmid_forced',
          'net.ipv4.ip_local_port_range',
          'net.ipv4.tcp_syncookies',
          'net.ipv4.ping_group_range',
          'net.ipv4.ip_unprivileged_port_start',
          'net.ipv4.ip_local_reserved_ports',
          'net.ipv4.tcp_keepalive_time',
          'net.ipv4.tcp_fin_timeout',
          'net.ipv4.tcp_keepalive_intvl',
          'net.ipv4.tcp_keepalive_probes',
          'net.ipv4.tcp_rmem',
          'net.ipv4.tcp_wmem',
          'net.ipv4.tcp_slow_start_after_idle',
          'net.ipv4.tcp_notsent_lowat',
        ].map((name) => ({ name, value: '1' })),
      },
    }),
  },
  { name: 'hostPort 0 and container ports', spec: pod([app(undefined, { ports: [{ containerPort: 80, hostPort: 0 }, { containerPort: 443 }] })]) },
  {
    name: 'probes and hooks without a host, or with an empty one',
    spec: pod([
      app(undefined, {
        livenessProbe: probe('httpGet', ''),
        readinessProbe: { tcpSocket: { port: 80 } },
        lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
      }),
    ]),
  },
  {
    name: 'hostProcess false',
    spec: pod([app({ windowsOptions: { hostProcess: false } })], [init()], { securityContext: { windowsOptions: { hostProcess: false } } }),
  },
]

export function baselinePod(spec: Record<string, unknown>, annotations?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'baseline', namespace: 'ns', ...(annotations === undefined ? {} : { annotations }) }, spec }
}
