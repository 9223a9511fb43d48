// Issue 12's requester table: who may and who may not have a workload admitted.
// Shared by the policy test and scripts/count-admitted.ts (the before/after figures).
import type { UserInfo } from '../../src/admission/types.ts'

export interface IdentityCase {
  name: string
  userInfo: UserInfo
  expect: 'deny' | 'allow'
}

const sa = (namespace: string, name: string): UserInfo => ({
  username: `system:serviceaccount:${namespace}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
})

export const IDENTITY_CASES: IdentityCase[] = [
  { name: 'an anonymous request', userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, expect: 'deny' },
  { name: 'an anonymous request without groups', userInfo: { username: 'system:anonymous' }, expect: 'deny' },
  { name: 'any user in system:unauthenticated', userInfo: { username: 'guest', groups: ['system:unauthenticated'] }, expect: 'deny' },
  { name: 'Kubernetes Dashboard 2.x', userInfo: sa('kubernetes-dashboard', 'kubernetes-dashboard'), expect: 'deny' },
  { name: 'Kubernetes Dashboard 1.x', userInfo: sa('kube-system', 'kubernetes-dashboard'), expect: 'deny' },
  { name: 'the Kubernetes Dashboard 7 API in its own namespace', userInfo: sa('dashboards', 'kubernetes-dashboard-api'), expect: 'deny' },
  { name: 'Headlamp in kube-system', userInfo: sa('kube-system', 'headlamp'), expect: 'deny' },
  { name: 'Headlamp in its own namespace', userInfo: sa('headlamp', 'headlamp'), expect: 'deny' },
  { name: 'the Kubeflow central dashboard', userInfo: sa('kubeflow', 'centraldashboard'), expect: 'deny' },
  { name: 'the Argo Workflows server', userInfo: sa('argo', 'argo-server'), expect: 'deny' },
  { name: 'the Argo CD server', userInfo: sa('argocd', 'argocd-server'), expect: 'deny' },
  { name: 'a cluster admin', userInfo: { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] }, expect: 'allow' },
  { name: 'an OIDC user', userInfo: { username: 'https://idp.example#alice', groups: ['dev', 'system:authenticated'] }, expect: 'allow' },
  { name: 'a CI service account', userInfo: sa('ci', 'deployer'), expect: 'allow' },
  { name: 'the Argo CD application controller (GitOps sync)', userInfo: sa('argocd', 'argocd-application-controller'), expect: 'allow' },
  { name: 'the Kubeflow dashboard account in another namespace', userInfo: sa('team-a', 'centraldashboard'), expect: 'allow' },
  { name: 'the ReplicaSet controller', userInfo: sa('kube-system', 'replicaset-controller'), expect: 'allow' },
  { name: 'the Job controller', userInfo: sa('kube-system', 'job-controller'), expect: 'allow' },
  { name: 'the DaemonSet controller', userInfo: sa('kube-system', 'daemon-set-controller'), expect: 'allow' },
  {
    name: 'the controller manager without per-controller accounts',
    userInfo: { username: 'system:kube-controller-manager', groups: ['system:authenticated'] },
    expect: 'allow',
  },
  {
    name: 'a kubelet creating a mirror pod',
    userInfo: { username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] },
    expect: 'allow',
  },
]
