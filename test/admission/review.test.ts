import t from 'tap'
import { reviewAdmission } from '../../src/admission/review.ts'
import type { AdmissionRequest } from '../../src/admission/types.ts'
import type { Action, Policy, PolicySet } from '../../src/engine/types.ts'
import { compileExemptions } from '../../src/policy/exemptions.ts'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'

function everyContainer(id: string, action: Action, message: string): Policy {
  return {
    id,
    description: id,
    severity: 'low',
    action,
    file: `${id}.ts`,
    exempt: compileExemptions(),
    check: { mode: 'validate', target: 'container', run: () => [{ message }] },
  }
}

function set(...policies: Policy[]): PolicySet {
  return { policies, source: 'test', loadedAt: new Date() }
}

const enforce = { phase: 'validate', auditOnly: false } as const

t.test('warnings stay within what the API server keeps: 256 characters each, about 4 KiB in all', async (t) => {
  const containers = Array.from({ length: 40 }, (_, index) => ({ name: `c${index}`, image: 'a:1' }))
  const request = admissionReview({ object: replicaSetPod(containers) }).request as AdmissionRequest
  const { response, record } = reviewAdmission(request, set(everyContainer('long', 'warn', 'x'.repeat(300))), enforce)
  const warnings = response.warnings ?? []
  t.ok(warnings.every((warning) => warning.length <= 256))
  t.ok(warnings.join('').length <= 4096)
  t.equal(warnings.at(-1), `…and ${40 - (warnings.length - 1)} more; see the jackstop log`)
  t.equal(record.findings.length, 40, 'the log keeps every finding')
})

t.test('an unchanged update keeps warn and audit findings as they are', async (t) => {
  const pod = replicaSetPod([{ name: 'app', image: 'a:1' }])
  const request = admissionReview({ object: pod, oldObject: pod, operation: 'UPDATE' }).request as AdmissionRequest
  const { response, record } = reviewAdmission(request, set(everyContainer('w', 'warn', 'be careful'), everyContainer('a', 'audit', 'noted')), enforce)
  t.same(response.warnings, ['spec.containers[0] "app": be careful (w)'])
  t.same(
    record.findings.map((finding) => finding.action),
    ['warn', 'audit'],
  )
})

t.test('audit findings are logged and annotated, never shown to the user', async (t) => {
  const request = admissionReview({ object: replicaSetPod([{ name: 'app', image: 'a:1' }]) }).request as AdmissionRequest
  const { response } = reviewAdmission(request, set(everyContainer('quiet', 'audit', 'noted')), enforce)
  t.same(response, { uid: request.uid, allowed: true, auditAnnotations: { findings: 'quiet=audit@spec.containers[0]', requester: 'alice@example.com' } })
})

t.test('a ConfigMap update that leaves data as it was is softened too', async (t) => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: '1' } }
  const flag: Policy = { ...everyContainer('cm', 'deny', 'bad'), check: { mode: 'validate', target: 'configmap', run: () => [{ message: 'bad' }] } }
  const relabelled = { ...configMap, metadata: { ...configMap.metadata, labels: { x: 'y' } } }
  const unchanged = admissionReview({ object: relabelled, oldObject: configMap, operation: 'UPDATE' }).request as AdmissionRequest
  t.equal(reviewAdmission(unchanged, set(flag), enforce).response.allowed, true)
  const changed = admissionReview({ object: { ...configMap, data: { a: '2' } }, oldObject: configMap, operation: 'UPDATE' }).request as AdmissionRequest
  t.equal(reviewAdmission(changed, set(flag), enforce).response.allowed, false)
})

t.test('the denial names a cluster-level or nameless object plainly', async (t) => {
  const pod = { ...replicaSetPod([{ name: 'app', image: 'a:1' }]), metadata: {} }
  const request = { ...(admissionReview({ object: pod }).request as AdmissionRequest), namespace: undefined, name: undefined }
  const { response, record } = reviewAdmission(request, set(everyContainer('d', 'deny', 'no')), enforce)
  t.equal(response.status?.message, 'jackstop refused Pod : spec.containers[0] "app": no (d)')
  t.equal(record.name, undefined)
})

t.test('an update that arrives without its old object is judged on the new object alone', async (t) => {
  const pod = replicaSetPod([{ name: 'app', image: 'a:1' }])
  const request = admissionReview({ object: pod, operation: 'UPDATE' }).request as AdmissionRequest
  t.equal(request.oldObject, null)
  t.equal(reviewAdmission(request, set(everyContainer('d', 'deny', 'no')), enforce).response.allowed, false)
  const malformed = { ...request, object: { ...pod, spec: [] } }
  t.same(reviewAdmission(malformed, set(), enforce).record.findings, [
    {
      policy: 'object-shape',
      action: 'deny',
      path: 'spec',
      message: 'spec must be an object, got array; this cannot be a valid Pod, so it is refused unreviewed (JACKSTOP_ERR_OBJECT_MALFORMED)',
    },
  ])
})
