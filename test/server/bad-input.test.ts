import t from 'tap'
import { admissionReview, replicaSetPod } from '../helpers/reviews.ts'
import { startServer } from '../helpers/server.ts'

const server = await startServer({ bodyLimit: 64 * 1024 })
t.teardown(server.close)

const pod = replicaSetPod([{ name: 'web', image: 'nginx:1.27' }])
const valid = admissionReview({ object: pod })

function withRequest(change: (request: Record<string, unknown>) => void): unknown {
  const review = structuredClone(valid) as unknown as { request: Record<string, unknown> }
  change(review.request)
  return review
}

const cases: { name: string; body: unknown; headers?: Record<string, string>; status: number; error: string; message: string }[] = [
  {
    name: 'malformed JSON',
    body: '{"apiVersion": "admission.k8s.io/v1", "kind": ',
    status: 400,
    error: 'FST_ERR_CTP_INVALID_JSON_BODY',
    message: "Body is not valid JSON but content-type is set to 'application/json': the body is not valid JSON",
  },
  {
    name: 'an empty body',
    body: '',
    status: 400,
    error: 'FST_ERR_CTP_EMPTY_JSON_BODY',
    message: "Body cannot be empty when content-type is set to 'application/json': the body is empty; send an AdmissionReview",
  },
  {
    name: 'a JSON array',
    body: '[1,2]',
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: the body must be a JSON object',
  },
  {
    name: 'a body that is not an AdmissionReview',
    body: { apiVersion: 'v1', kind: 'Pod' },
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: kind must be "AdmissionReview", got "Pod"',
  },
  {
    name: 'a body without kind',
    body: { apiVersion: 'admission.k8s.io/v1' },
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: kind must be "AdmissionReview", got null',
  },
  {
    name: 'a body without apiVersion',
    body: { kind: 'AdmissionReview' },
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: apiVersion must be "admission.k8s.io/v1", got null; set admissionReviewVersions: [v1] in the webhook configuration',
  },
  {
    name: 'another apiVersion',
    body: { ...valid, apiVersion: 'admission.k8s.io/v1beta1' },
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message:
      'AdmissionReview is invalid: apiVersion must be "admission.k8s.io/v1", got "admission.k8s.io/v1beta1"; set admissionReviewVersions: [v1] in the webhook configuration',
  },
  {
    name: 'no request',
    body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' },
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request must be an object',
  },
  {
    name: 'no uid',
    body: withRequest((request) => delete request.uid),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.uid must be a non-empty string',
  },
  {
    name: 'an unknown operation',
    body: withRequest((request) => (request.operation = 'PATCH')),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got "PATCH"',
  },
  {
    name: 'no request.kind',
    body: withRequest((request) => delete request.kind),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.kind must be an object with group, version and kind',
  },
  {
    name: 'no object on CREATE',
    body: withRequest((request) => (request.object = null)),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.object must be an object for CREATE',
  },
  {
    name: 'an oldObject that is not an object',
    body: withRequest((request) => {
      request.operation = 'UPDATE'
      request.oldObject = 'yesterday'
    }),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.oldObject must be an object',
  },
  {
    name: 'a namespace that is not a string',
    body: withRequest((request) => (request.namespace = 7)),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.namespace must be a string',
  },
  {
    name: 'dryRun that is not a boolean',
    body: withRequest((request) => (request.dryRun = 'yes')),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.dryRun must be a boolean',
  },
  {
    name: 'an unexpected kind',
    body: admissionReview({ object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } } }),
    status: 400,
    error: 'JACKSTOP_ERR_KIND_NOT_REVIEWED',
    message:
      'jackstop reviews Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController, PodTemplate, CronJob, ConfigMap; got "Service": check the rules of the webhook configuration',
  },
  // `{"toString": 1}` made String() throw inside the decoder: an HTTP 500 instead of this 400.
  {
    name: 'a request.kind.kind that is a toString object',
    body: withRequest((request) => (request.kind = { group: '', version: 'v1', kind: { toString: 1 } })),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.kind.kind must be a non-empty string',
  },
  {
    name: 'an operation that is a valueOf object',
    body: withRequest((request) => (request.operation = { valueOf: 1, toString: 1 })),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.operation must be a non-empty string',
  },
  {
    name: 'a body kind that is a toString object',
    body: { ...valid, kind: { toString: 1 } },
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: kind must be "AdmissionReview", got an object',
  },
  {
    name: 'a very long apiVersion',
    body: { ...valid, apiVersion: 'v'.repeat(1000) },
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: `AdmissionReview is invalid: apiVersion must be "admission.k8s.io/v1", got "${'v'.repeat(64)}…"; set admissionReviewVersions: [v1] in the webhook configuration`,
  },
  {
    name: 'userInfo that is not an object',
    body: withRequest((request) => (request.userInfo = 'root')),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.userInfo must be an object',
  },
  {
    name: 'a username that is not a string',
    body: withRequest((request) => (request.userInfo = { username: { toString: 1 } })),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.userInfo.username must be a string',
  },
  {
    name: 'groups that are not a list of strings',
    body: withRequest((request) => (request.userInfo = { username: 'alice', groups: ['ok', 7] })),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.userInfo.groups must be a list of strings',
  },
  {
    name: 'an oldObject that is not an object on DELETE',
    body: withRequest((request) => {
      request.operation = 'DELETE'
      request.oldObject = 12
    }),
    status: 400,
    error: 'JACKSTOP_ERR_REVIEW_INVALID',
    message: 'AdmissionReview is invalid: request.oldObject must be an object',
  },
  {
    name: 'a wrong content type',
    body: JSON.stringify(valid),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    error: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    message: 'Unsupported Media Type: send Content-Type: application/json',
  },
  {
    name: 'an oversized body',
    body: JSON.stringify({ ...valid, padding: 'x'.repeat(70 * 1024) }),
    status: 413,
    error: 'FST_ERR_CTP_BODY_TOO_LARGE',
    message: 'Request body is too large: the body exceeds the configured --body-limit',
  },
]

for (const bad of cases) {
  t.test(`${bad.name} gets a ${bad.status} saying what is wrong, and the server keeps serving`, async (t) => {
    const result = await server.post('/validate', bad.body, bad.headers)
    t.equal(result.status, bad.status)
    t.same(result.body, { statusCode: bad.status, error: bad.error, message: bad.message })
    const after = await server.post('/validate', valid)
    t.same(after.body.response, { uid: valid.request?.uid, allowed: true })
  })
}

t.test('an unknown path is a 404 that says what is served', async (t) => {
  const result = await server.post('/admit?x=1', valid)
  t.same(result.body, { statusCode: 404, error: 'JACKSTOP_ERR_NOT_FOUND', message: 'POST /admit is not served; POST /validate or /mutate' })
})

t.test('plain HTTP is refused: the webhook speaks TLS only', async (t) => {
  const { request } = await import('node:http')
  const outcome = await new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/healthz', method: 'GET' }, (res) => resolve(`status ${res.statusCode}`))
    req.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'))
    req.end()
  })
  t.not(outcome, 'status 200')
})
