import t from 'tap'
import { reviewAdmission } from '../../src/admission/review.ts'
import type { AdmissionRequest, UserInfo } from '../../src/admission/types.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { PolicySet } from '../../src/engine/types.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { defaultPolicies } from '../helpers/server.ts'
import { IDENTITY_CASES } from '../tables/identities.ts'

const defaults = await defaultPolicies()
const requesters: PolicySet = { ...defaults, policies: defaults.policies.filter((policy) => policy.id === 'untrusted-requesters') }
const enforce = { phase: 'validate', auditOnly: false } as const

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
}

function review(object: KubeObject, userInfo: UserInfo, operation: 'CREATE' | 'UPDATE' = 'CREATE', oldObject?: KubeObject) {
  const request = admissionReview({ object, operation, ...(oldObject === undefined ? {} : { oldObject }) }).request as AdmissionRequest
  return reviewAdmission({ ...request, userInfo }, requesters, enforce)
}

for (const entry of IDENTITY_CASES) {
  t.test(`a Deployment from ${entry.name} is ${entry.expect === 'deny' ? 'refused' : 'admitted'}`, async (t) => {
    t.equal(review(deployment, entry.userInfo).response.allowed, entry.expect === 'allow')
  })
}

t.test('the refusal, the decision line and the audit annotation name the requester', async (t) => {
  const { response, record } = review(deployment, {
    username: 'system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard',
    groups: ['system:serviceaccounts'],
  })
  t.same(response.status, {
    code: 403,
    reason: 'Forbidden',
    message:
      "jackstop refused Deployment shop/web: spec.template.spec: requested by system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard, the service account of Kubernetes Dashboard 2.x: a dashboard's own account must not start workloads (kubernetes/dashboard, aio/deploy/recommended.yaml (ServiceAccount kubernetes-dashboard in namespace kubernetes-dashboard)) (untrusted-requesters)",
  })
  t.same(response.auditAnnotations, {
    findings: 'untrusted-requesters=deny@spec.template.spec',
    requester: 'system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard',
  })
  t.same(record.requester, {
    username: 'system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard',
    groups: ['system:serviceaccounts'],
    serviceAccount: 'kubernetes-dashboard:kubernetes-dashboard',
    viaController: false,
  })
})

t.test('an anonymous request is refused with the reason', async (t) => {
  t.equal(
    review(deployment, { username: 'system:anonymous', groups: ['system:unauthenticated'] }).response.status?.message,
    "jackstop refused Deployment shop/web: spec.template.spec: requested by system:anonymous: an unauthenticated request (the API server's --anonymous-auth); no workload should come from nobody (untrusted-requesters)",
  )
  t.equal(
    review(deployment, { username: 'guest', groups: ['system:unauthenticated'] }).response.status?.message,
    'jackstop refused Deployment shop/web: spec.template.spec: requested by guest (group system:unauthenticated): every request the API server could not authenticate (untrusted-requesters)',
  )
})

t.test('a pod that claims a ReplicaSet owner is still refused when nobody authenticated asks for it', async (t) => {
  // ownerReferences are the requester's own words; only the username says a controller asks.
  t.equal(review(replicaSetPod([{ name: 'web', image: 'nginx:1.27' }]), { username: 'system:anonymous' }).response.allowed, false)
})

t.test('a controller creating pods is named as acting for someone in the audit annotation, and judged by the pod', async (t) => {
  const pod = replicaSetPod([{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }])
  const request = admissionReview({ object: pod }).request as AdmissionRequest
  const { response } = reviewAdmission({ ...request, userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' } }, defaults, enforce)
  t.equal(response.allowed, false, 'the privileged pod is refused for what it is')
  t.equal(response.auditAnnotations?.requester, "system:serviceaccount:kube-system:replicaset-controller (a controller acting for its owner's creator)")
  t.notMatch(response.status?.message, 'untrusted-requesters')
})

t.test('a dashboard scaling a Deployment it did not change is admitted with a warning, as Pod Security treats unchanged updates', async (t) => {
  const { response } = review(deployment, { username: 'system:serviceaccount:argocd:argocd-server' }, 'UPDATE', deployment)
  t.equal(response.allowed, true)
  t.match(response.warnings, [/requested by system:serviceaccount:argocd:argocd-server, the service account of Argo CD API server/])
})

t.test('without a request (check, scan) nobody is judged by identity', async (t) => {
  t.same(evaluate({ object: deployment }, requesters).findings, [])
})
