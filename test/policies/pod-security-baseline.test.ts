import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse, stringify } from 'yaml'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { DEFAULT_POLICIES, defaultPolicies } from '../helpers/server.ts'
import { BASELINE_ALLOWED, BASELINE_CASES, baselinePod } from '../tables/pod-security-baseline.ts'

const defaults = await defaultPolicies()
const baselineOnly = (set: PolicySet): PolicySet => ({ ...set, policies: set.policies.filter((policy) => policy.id === 'pod-security-baseline') })

for (const entry of BASELINE_CASES) {
  t.test(`baseline ${entry.check}: ${entry.name} is ${entry.expect === 'deny' ? 'refused' : 'warned about'} by ${entry.policy}`, async (t) => {
    const findings = evaluate({ object: baselinePod(entry.spec, entry.annotations) as KubeObject }, defaults).findings
    const actions = findings.filter((finding) => finding.policy === entry.policy).map((finding) => finding.action)
    t.ok(actions.length > 0, 'the policy reports it')
    t.equal(actions.includes('deny') ? 'deny' : 'warn', entry.expect)
  })
}

for (const entry of BASELINE_ALLOWED) {
  t.test(`baseline allows ${entry.name}`, async (t) => {
    t.same(evaluate({ object: baselinePod(entry.spec, entry.annotations) as KubeObject }, baselineOnly(defaults)).findings, [])
  })
}

t.test('each finding names the field, what it does and the Pod Security check', async (t) => {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'ns' },
    spec: {
      template: {
        metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } },
        spec: {
          securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }], seccompProfile: { type: 'Unconfined' } },
          containers: [
            {
              name: 'app',
              image: 'a:1',
              ports: [{ containerPort: 3333, hostPort: 3333 }],
              readinessProbe: { httpGet: { host: '169.254.169.254', port: 80 } },
              securityContext: { procMount: 'Unmasked', seLinuxOptions: { type: 'spc_t', role: 'r' } },
            },
          ],
        },
      },
    },
  }
  t.same(
    evaluate({ object: deployment }, baselineOnly(defaults)).findings.map(({ action, path, message }) => ({ action, path, message })),
    [
      {
        action: 'warn',
        path: 'spec.template.spec.securityContext.seccompProfile.type',
        message:
          'spec.template.spec.securityContext.seccompProfile.type: sets seccomp profile Unconfined (Pod Security baseline: seccompProfile) (pod-security-baseline)',
      },
      {
        action: 'warn',
        path: 'spec.template.spec.securityContext.sysctls[0].name',
        message:
          'spec.template.spec.securityContext.sysctls[0].name: sets sysctl kernel.msgmax, outside the safe set (Pod Security baseline: sysctls) (pod-security-baseline)',
      },
      {
        action: 'warn',
        path: 'spec.template.spec',
        message:
          'spec.template.spec: annotation container.apparmor.security.beta.kubernetes.io/app=unconfined sets AppArmor profile unconfined (Pod Security baseline: appArmorProfile) (pod-security-baseline)',
      },
      {
        action: 'deny',
        path: 'spec.template.spec.containers[0].securityContext.procMount',
        message:
          'spec.template.spec.containers[0].securityContext.procMount: sets procMount Unmasked outside a user namespace (Pod Security baseline: procMount) (pod-security-baseline)',
      },
      {
        action: 'deny',
        path: 'spec.template.spec.containers[0].securityContext.seLinuxOptions.type',
        message:
          'spec.template.spec.containers[0].securityContext.seLinuxOptions.type: sets SELinux type spc_t (Pod Security baseline: seLinuxOptions) (pod-security-baseline)',
      },
      {
        action: 'deny',
        path: 'spec.template.spec.containers[0].securityContext.seLinuxOptions.role',
        message:
          'spec.template.spec.containers[0].securityContext.seLinuxOptions.role: sets SELinux role r (Pod Security baseline: seLinuxOptions) (pod-security-baseline)',
      },
      {
        action: 'warn',
        path: 'spec.template.spec.containers[0].ports[0].hostPort',
        message: "spec.template.spec.containers[0].ports[0].hostPort: binds the node's port 3333 (Pod Security baseline: hostPorts) (pod-security-baseline)",
      },
      {
        action: 'warn',
        path: 'spec.template.spec.containers[0].readinessProbe.httpGet.host',
        message:
          'spec.template.spec.containers[0].readinessProbe.httpGet.host: makes the kubelet connect to host "169.254.169.254" (Pod Security baseline: hostProbesAndHostLifecycle) (pod-security-baseline)',
      },
    ],
  )
})

t.test('each check is tuned in the data, and the version picks the safe sysctls and the procMount rule', async (t) => {
  const data = parse(readFileSync(`${DEFAULT_POLICIES}data/pod-security-baseline.yaml`, 'utf8')) as { version: string; checks: Record<string, string> }
  data.version = '1.31'
  data.checks.hostPorts = 'off'
  data.checks.seccompProfile = 'deny'
  const dir = t.testdir({
    // A re-export runs the shipped policy file itself, with the test's data beside it.
    'pod-security-baseline.ts': `export { default } from '${DEFAULT_POLICIES}pod-security-baseline.ts'\n`,
    data: { 'pod-security-baseline.yaml': stringify(data) },
  })
  const tuned = await loadPolicySet(dir)
  const spec = {
    hostUsers: false,
    securityContext: {
      seccompProfile: { type: 'Unconfined' },
      sysctls: [
        { name: 'net.ipv4.tcp_keepalive_time', value: '600' },
        { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' },
      ],
    },
    containers: [
      {
        name: 'c',
        image: 'a:1',
        ports: [{ containerPort: 1, hostPort: 1 }],
        securityContext: { procMount: 'Unmasked', seLinuxOptions: { type: 'container_engine_t' } },
      },
    ],
  }
  t.same(
    evaluate({ object: baselinePod(spec) as KubeObject }, tuned).findings.map(({ action, path }) => ({ action, path })),
    [
      { action: 'deny', path: 'spec.securityContext.seccompProfile.type' },
      { action: 'warn', path: 'spec.securityContext.sysctls[1].name' },
      { action: 'deny', path: 'spec.containers[0].securityContext.procMount' },
    ],
  )
})
