// Open doors in RBAC: anonymous or every-authenticated-user grants, cluster-admin for
// service accounts, and who may create pods or exec into them cluster-wide.
import type { ReportedObject } from '../report/types.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { type Door, reported } from './finding.ts'
import type { Snapshot } from './snapshot.ts'

interface Rule {
  apiGroups?: string[]
  resources?: string[]
  verbs?: string[]
}
interface Subject {
  kind?: string
  name?: string
  namespace?: string
}

// What every cluster grants to everyone for discovery; anything more is an open door.
const DISCOVERY_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer'])
const EVERYONE = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated'])
const POD_DOORS = ['pods', 'pods/exec', 'pods/ephemeralcontainers']

function rulesOf(roleRef: { kind?: string; name?: string }, namespace: string | undefined, snapshot: Snapshot): Rule[] {
  const roles = roleRef.kind === 'ClusterRole' ? snapshot.clusterRoles : snapshot.roles.filter((role) => role.metadata?.namespace === namespace)
  const role = roles.find((candidate) => candidate.metadata?.name === roleRef.name)
  return (role?.rules as Rule[] | undefined) ?? []
}

const grants = (rule: Rule, verb: string, resource: string) =>
  (rule.apiGroups ?? ['']).some((group) => group === '' || group === '*') &&
  (rule.verbs ?? []).some((item) => item === '*' || item === verb) &&
  (rule.resources ?? []).some((item) => item === '*' || item === resource)

function subjectName(subject: Subject): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount ${subject.namespace ?? ''}/${subject.name ?? ''}`
    : `${subject.kind ?? 'Subject'} ${subject.name ?? ''}`
}

function bindingDoors(binding: KubeObject, snapshot: Snapshot): Door[] {
  const roleRef = (binding.roleRef ?? {}) as { kind?: string; name?: string }
  const subjects = (binding.subjects ?? []) as Subject[]
  const rules = rulesOf(roleRef, binding.metadata?.namespace, snapshot)
  const clusterWide = binding.kind === 'ClusterRoleBinding'
  const isAdmin = roleRef.name === 'cluster-admin' || rules.some((rule) => grants(rule, '*', '*'))
  const doors: Door[] = []
  subjects.forEach((subject, index) => {
    const path = `subjects[${index}]`
    if (EVERYONE.has(subject.name ?? '') && !DISCOVERY_ROLES.has(roleRef.name ?? '')) {
      doors.push({
        check: 'rbac-open-to-everyone',
        action: 'deny',
        severity: 'critical',
        path,
        what: `${subjectName(subject)} is granted ${roleRef.kind} ${roleRef.name}`,
        attack: 'anyone who can reach the API server uses these rights without credentials or with any account, and starts miners',
        fix: 'delete the binding or bind the role to named users or groups',
      })
    } else if (subject.kind === 'ServiceAccount' && isAdmin && clusterWide) {
      const risky = subject.name === 'default' || /dashboard/i.test(subject.name ?? '')
      doors.push({
        check: 'rbac-admin-service-account',
        action: risky ? 'deny' : 'warn',
        severity: risky ? 'critical' : 'high',
        path,
        what: `${subjectName(subject)} is bound to ${roleRef.name === 'cluster-admin' ? 'cluster-admin' : `${roleRef.name}, which allows every verb on every resource`}`,
        attack: 'whoever runs a pod under this account, or steals its token, owns the cluster and can run miners on every node',
        fix: 'bind a role with only the verbs and resources the workload needs',
      })
    } else if (clusterWide && !isAdmin) {
      // exec and ephemeral containers are `create` on their subresources.
      const doorsOpened = POD_DOORS.filter((resource) => rules.some((rule) => grants(rule, 'create', resource)))
      if (doorsOpened.length > 0) {
        doors.push({
          check: 'rbac-cluster-wide-pod-access',
          action: 'warn',
          severity: 'medium',
          path,
          what: `${subjectName(subject)} may create ${doorsOpened.join(', ')} in every namespace (${roleRef.kind} ${roleRef.name})`,
          attack: 'these rights start a miner pod, or exec into a running one, anywhere in the cluster',
          fix: 'grant pod creation and exec per namespace with RoleBindings',
        })
      }
    }
  })
  return doors
}

export function rbacDoors(snapshot: Snapshot): ReportedObject[] {
  return [...snapshot.clusterRoleBindings, ...snapshot.roleBindings].flatMap((binding) => {
    const doors = bindingDoors(binding, snapshot)
    return doors.length === 0 ? [] : [reported({ apiVersion: 'rbac.authorization.k8s.io/v1', ...binding }, doors)]
  })
}
