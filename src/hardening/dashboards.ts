// Kubernetes Dashboard (and look-alikes) left open: the Tesla cryptojacking started at a
// dashboard anyone could open, with pod creation rights behind it (RedLock, 2018).
import type { ReportedObject } from '../report/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { type PodSpecSubject, podSpecsOf } from '../workloads/pod-specs.ts'
import { type Door, reported } from './finding.ts'
import type { Snapshot } from './snapshot.ts'

const DASHBOARD = /(kubernetes-dashboard|k8s-dashboard|\/dashboard:|kube-dashboard|headlamp|kubeapps|octant)/i
const OPEN_FLAGS = ['--enable-skip-login', '--disable-settings-authorizer', '--enable-insecure-login']

function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined || Object.keys(selector).length === 0) return false
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value)
}

interface IngressSpec {
  defaultBackend?: { service?: { name?: string } }
  rules?: { http?: { paths?: { backend?: { service?: { name?: string } } }[] } }[]
}

/** The Services an Ingress routes to. */
function backendsOf(ingress: KubeObject): string[] {
  const spec = (ingress.spec ?? {}) as IngressSpec
  const names = [
    spec.defaultBackend?.service?.name,
    ...(spec.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => path.backend?.service?.name)),
  ]
  return names.filter((name): name is string => name !== undefined)
}

export function dashboardDoors(snapshot: Snapshot): ReportedObject[] {
  const found: ReportedObject[] = []
  const dashboards = snapshot.workloads.filter(
    (object) =>
      object.kind === 'Deployment' && podSpecsOf(object).some((pod) => pod.spec.containers?.some((container) => DASHBOARD.test(container.image ?? ''))),
  )
  const adminAccounts = new Set(
    snapshot.clusterRoleBindings
      .filter((binding) => (binding.roleRef as { name?: string } | undefined)?.name === 'cluster-admin')
      .flatMap((binding) =>
        ((binding.subjects ?? []) as { kind?: string; namespace?: string; name?: string }[])
          .filter((subject) => subject.kind === 'ServiceAccount')
          .map((subject) => `${subject.namespace}/${subject.name}`),
      ),
  )
  for (const deployment of dashboards) {
    // The filter above found a pod spec in every one of them.
    const pod = podSpecsOf(deployment)[0] as PodSpecSubject
    const namespace = deployment.metadata?.namespace
    const doors: Door[] = []
    pod.spec.containers?.forEach((container, index) => {
      const args = [...(container.command ?? []), ...(container.args ?? [])]
      for (const flag of OPEN_FLAGS.filter((open) => args.some((arg) => arg === open || arg.startsWith(`${open}=true`)))) {
        doors.push({
          check: 'dashboard-open-login',
          action: 'deny',
          severity: 'critical',
          path: `${pod.path}.containers[${index}].args`,
          what: `the dashboard runs with ${flag}`,
          attack: 'anyone who reaches the dashboard skips login and acts with its service account, for example to start miner pods',
          fix: `remove ${flag} and require a token or an authenticating proxy`,
        })
      }
    })
    const account = `${namespace}/${pod.spec.serviceAccountName ?? 'default'}`
    if (adminAccounts.has(account)) {
      doors.push({
        check: 'dashboard-powerful-account',
        action: 'deny',
        severity: 'critical',
        path: `${pod.path}.serviceAccountName`,
        what: `the dashboard runs as ServiceAccount ${account}, which is bound to cluster-admin`,
        attack: 'every dashboard user, and anyone who gets past its login, has cluster-admin',
        fix: 'run the dashboard with a minimal account and let users log in with their own tokens',
      })
    }
    const exposing = snapshot.services.filter(
      (service) =>
        service.metadata?.namespace === namespace &&
        ['LoadBalancer', 'NodePort'].includes((service.spec as { type?: string } | undefined)?.type ?? '') &&
        labelsMatch((service.spec as { selector?: Record<string, string> } | undefined)?.selector, pod.podMetadata.labels),
    )
    for (const service of exposing) {
      doors.push({
        check: 'dashboard-exposed',
        action: 'deny',
        severity: 'high',
        path: 'spec.type',
        what: `Service ${namespace}/${service.metadata?.name} exposes the dashboard as ${(service.spec as { type: string }).type}`,
        attack: 'the dashboard is reachable from outside the cluster; scanners find such dashboards within hours',
        fix: 'use a ClusterIP Service and reach the dashboard through kubectl port-forward or an authenticating proxy',
      })
    }
    const serviceNames = new Set(
      snapshot.services
        .filter(
          (service) =>
            service.metadata?.namespace === namespace &&
            labelsMatch((service.spec as { selector?: Record<string, string> } | undefined)?.selector, pod.podMetadata.labels),
        )
        .map((service) => service.metadata?.name),
    )
    for (const ingress of snapshot.ingresses.filter(
      (candidate) => candidate.metadata?.namespace === namespace && backendsOf(candidate).some((name) => serviceNames.has(name)),
    )) {
      doors.push({
        check: 'dashboard-exposed',
        action: 'deny',
        severity: 'high',
        path: 'spec.rules',
        what: `Ingress ${namespace}/${ingress.metadata?.name} routes to the dashboard`,
        attack: 'the dashboard is reachable from outside the cluster through the ingress controller',
        fix: 'remove the route or put an authenticating proxy in front of it',
      })
    }
    if (doors.length > 0) found.push(reported({ apiVersion: 'apps/v1', ...deployment } as KubeObject, doors))
  }
  return found
}
