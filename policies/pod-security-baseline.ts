// Pod Security Admission's baseline checks that no other jackstop policy covers, each with its
// own action in policies/data/pod-security-baseline.yaml, so a newest-version baseline violation
// is never admitted silently (issue 12: 27 of 34 upstream failing shapes were).
import type { Action, PodValidationPolicy, V1Container, V1PodSpec, Violation } from 'jackstop/policy'

const CHECKS = [
  'windowsHostProcess',
  'procMount',
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'sysctls',
  'hostPorts',
  'hostProbesAndHostLifecycle',
] as const
type CheckId = (typeof CHECKS)[number]
type Versioned = { name: string; since: string }

interface BaselineData {
  version: string
  checks: Record<CheckId, Action | 'off'>
  safeSysctls: Versioned[]
  seLinuxTypes: Versioned[]
  procMountFreeInUserNamespaceSince: string
}

const version = { type: 'string', pattern: '^1\\.\\d+$' }
const versioned = {
  type: 'array',
  items: { type: 'object', required: ['name', 'since'], additionalProperties: false, properties: { name: { type: 'string' }, since: version } },
}

/** `1.9` < `1.27`: versions compare by minor number. */
const minor = (text: string) => Number(text.split('.')[1])

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/'
const PROFILE_TYPES = new Set(['RuntimeDefault', 'Localhost'])
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const
const HOOKS = ['postStart', 'preStop'] as const

type Found = { check: CheckId; field: string; what: string }

/** A probe or hook that makes the kubelet connect to another host; the field is named only when found. */
function handlerHosts(handler: { httpGet?: { host?: string }; tcpSocket?: { host?: string } } | undefined, at: string, field: string, found: Found[]): void {
  if (handler === undefined) return
  for (const kind of ['httpGet', 'tcpSocket'] as const) {
    const host = handler[kind]?.host
    if (typeof host === 'string' && host !== '') {
      found.push({ check: 'hostProbesAndHostLifecycle', field: `${at}.${field}.${kind}.host`, what: `makes the kubelet connect to host "${host}"` })
    }
  }
}

function containerChecks(container: V1Container, at: string, selinuxTypes: ReadonlySet<string>, procMountFree: boolean, found: Found[]): void {
  const context = container.securityContext
  if (context?.windowsOptions?.hostProcess === true) {
    found.push({ check: 'windowsHostProcess', field: `${at}.securityContext.windowsOptions.hostProcess`, what: 'runs as a HostProcess container on the node' })
  }
  if (context?.procMount !== undefined && context.procMount !== 'Default' && !procMountFree) {
    found.push({ check: 'procMount', field: `${at}.securityContext.procMount`, what: `sets procMount ${context.procMount} outside a user namespace` })
  }
  if (context?.seLinuxOptions !== undefined) found.push(...seLinuxChecks(context.seLinuxOptions, `${at}.securityContext.seLinuxOptions`, selinuxTypes))
  const seccomp = context?.seccompProfile
  if (seccomp !== undefined && !PROFILE_TYPES.has(seccomp.type)) {
    found.push({ check: 'seccompProfile', field: `${at}.securityContext.seccompProfile.type`, what: `sets seccomp profile ${seccomp.type}` })
  }
  const appArmor = context?.appArmorProfile
  if (appArmor !== undefined && !PROFILE_TYPES.has(appArmor.type)) {
    found.push({ check: 'appArmorProfile', field: `${at}.securityContext.appArmorProfile.type`, what: `sets AppArmor profile ${appArmor.type}` })
  }
  const ports = container.ports ?? []
  for (let index = 0; index < ports.length; index++) {
    const port = ports[index]
    if (port?.hostPort !== undefined && port.hostPort !== 0) {
      found.push({ check: 'hostPorts', field: `${at}.ports[${index}].hostPort`, what: `binds the node's port ${port.hostPort}` })
    }
  }
  for (const probe of PROBES) handlerHosts(container[probe], at, probe, found)
  if (container.lifecycle !== undefined) for (const hook of HOOKS) handlerHosts(container.lifecycle[hook], at, `lifecycle.${hook}`, found)
}

function seLinuxChecks(options: { type?: string; user?: string; role?: string } | undefined, at: string, allowedTypes: ReadonlySet<string>): Found[] {
  if (options === undefined) return []
  const found: Found[] = []
  if (!allowedTypes.has(options.type ?? '')) found.push({ check: 'seLinuxOptions', field: `${at}.type`, what: `sets SELinux type ${options.type}` })
  if ((options.user ?? '') !== '') found.push({ check: 'seLinuxOptions', field: `${at}.user`, what: `sets SELinux user ${options.user}` })
  if ((options.role ?? '') !== '') found.push({ check: 'seLinuxOptions', field: `${at}.role`, what: `sets SELinux role ${options.role}` })
  return found
}

function podChecks(spec: V1PodSpec, annotations: Record<string, string>, safeSysctls: ReadonlySet<string>, selinuxTypes: ReadonlySet<string>): Found[] {
  const found: Found[] = []
  const context = spec.securityContext
  if (context?.windowsOptions?.hostProcess === true) {
    found.push({ check: 'windowsHostProcess', field: 'securityContext.windowsOptions.hostProcess', what: 'runs the pod as HostProcess containers on the node' })
  }
  found.push(...seLinuxChecks(context?.seLinuxOptions, 'securityContext.seLinuxOptions', selinuxTypes))
  if (context?.seccompProfile !== undefined && !PROFILE_TYPES.has(context.seccompProfile.type)) {
    found.push({ check: 'seccompProfile', field: 'securityContext.seccompProfile.type', what: `sets seccomp profile ${context.seccompProfile.type}` })
  }
  if (context?.appArmorProfile !== undefined && !PROFILE_TYPES.has(context.appArmorProfile.type)) {
    found.push({ check: 'appArmorProfile', field: 'securityContext.appArmorProfile.type', what: `sets AppArmor profile ${context.appArmorProfile.type}` })
  }
  ;(context?.sysctls ?? []).forEach((sysctl, index) => {
    if (!safeSysctls.has(sysctl?.name))
      found.push({ check: 'sysctls', field: `securityContext.sysctls[${index}].name`, what: `sets sysctl ${sysctl?.name}, outside the safe set` })
  })
  for (const [key, value] of Object.entries(annotations)) {
    // The annotation form is deprecated but still honoured: runtime/default, localhost/<name> or empty.
    if (key.startsWith(APPARMOR_ANNOTATION) && value !== '' && value !== 'runtime/default' && !String(value).startsWith('localhost/')) {
      found.push({ check: 'appArmorProfile', field: 'metadata', what: `annotation ${key}=${value} sets AppArmor profile ${value}` })
    }
  }
  return found
}

export default {
  id: 'pod-security-baseline',
  description:
    "Enforces Pod Security Admission's baseline checks not covered by another policy: HostProcess, procMount, SELinux, seccomp, AppArmor, sysctls, hostPorts, probe and lifecycle hosts.",
  severity: 'high',
  // The strongest action a check can have; each check's own action is set in the data.
  action: 'deny',
  target: 'pod',
  mode: 'validate',
  data: 'pod-security-baseline.yaml',
  dataSchema: {
    type: 'object',
    required: ['version', 'checks', 'safeSysctls', 'seLinuxTypes', 'procMountFreeInUserNamespaceSince'],
    additionalProperties: false,
    properties: {
      version,
      checks: {
        type: 'object',
        required: [...CHECKS],
        additionalProperties: false,
        properties: Object.fromEntries(CHECKS.map((check) => [check, { enum: ['deny', 'warn', 'audit', 'off'] }])),
      },
      safeSysctls: versioned,
      seLinuxTypes: versioned,
      procMountFreeInUserNamespaceSince: version,
    },
  },
  prepare: ({ data }) => {
    const current = minor(data.version)
    const inForce = (list: Versioned[]) => new Set(list.filter((entry) => minor(entry.since) <= current).map((entry) => entry.name))
    const safeSysctls = inForce(data.safeSysctls)
    const selinuxTypes = inForce(data.seLinuxTypes)
    const userNamespacesFree = minor(data.procMountFreeInUserNamespaceSince) <= current
    return (spec, { pod }): Violation[] => {
      const procMountFree = userNamespacesFree && spec.hostUsers === false
      const found = podChecks(spec, (pod.podMetadata.annotations ?? {}) as Record<string, string>, safeSysctls, selinuxTypes)
      for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
        const containers = spec[list] ?? []
        for (let index = 0; index < containers.length; index++) {
          containerChecks(containers[index] as V1Container, `${list}[${index}]`, selinuxTypes, procMountFree, found)
        }
      }
      return found.flatMap(({ check, field, what }) => {
        const action = data.checks[check]
        if (action === 'off') return []
        // Annotations live beside the pod spec: no field inside it to point at.
        const message = `${what} (Pod Security baseline: ${check})`
        return [field === 'metadata' ? { action, message } : { field, action, message: `${field}: ${message}` }]
      })
    }
  },
} satisfies PodValidationPolicy<BaselineData>
