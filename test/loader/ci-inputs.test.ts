// What a CI job feeds `jackstop check`: whole repositories with Helm charts, values files and
// kustomizations beside the manifests, and YAML written with anchors and merge keys.
import t from 'tap'
import { evaluate } from '../../src/engine/evaluate.ts'
import { loadManifests, parseManifests } from '../../src/loader/manifests.ts'
import { defaultPolicies } from '../helpers/server.ts'

const lenient = { strict: false }

t.test('a privileged block shared through a merge key (<<: *anchor) is expanded and refused, as kubectl expands it', async (t) => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            <<: &root { privileged: true, runAsUser: 0 }
            readOnlyRootFilesystem: true
`
  const object = parseManifests(text, 'web.yaml', lenient).objects[0]?.object ?? {}
  const container = (object.spec as { template: { spec: { containers: { securityContext: unknown }[] } } }).template.spec.containers[0]
  t.same(container?.securityContext, { privileged: true, runAsUser: 0, readOnlyRootFilesystem: true })
  const findings = evaluate({ object }, await defaultPolicies()).findings
  t.ok(findings.some((finding) => finding.policy === 'privileged' && finding.action === 'deny'))
})

t.test('an alias bomb through merge keys is a problem with its line, not a crash or an expansion', async (t) => {
  const lines = ['a0: &a0 {x: 1}']
  for (let level = 1; level <= 12; level++) lines.push(`a${level}: &a${level} {<<: [*a${level - 1}, *a${level - 1}], y${level}: 1}`)
  const result = parseManifests(`kind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((line) => `  ${line}`).join('\n')}\n`, 'bomb.yaml', lenient)
  t.same(result.objects, [])
  t.same(result.problems, [{ file: 'bomb.yaml', line: 1, message: 'not readable: Excessive alias count indicates a resource exhaustion attack' }])
})

t.test('a chart, values, a kustomization and an unrendered template are skipped with a notice; the manifests beside them are checked', async (t) => {
  const dir = t.testdir({
    chart: {
      'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
      'values.yaml': 'image: { repository: nginx, tag: "1.27" }\nreplicas: 2\n',
      templates: {
        // Most templates do not parse as YAML (`{{- if }}` blocks, `| nindent`): kubectl could not apply them either.
        'deployment.yaml':
          '{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    {{- include "shop.pod" . | nindent 4 }}\n{{- end }}\n',
        // One that happens to parse has a kind: it is checked like any object (fail closed).
        'service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "shop.fullname" . }}\n',
      },
    },
    overlay: { 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../pod.yaml]\n' },
    'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n',
  })
  const result = await loadManifests([dir], async () => '', lenient)
  t.same(
    result.objects.map((loaded) => loaded.object.kind),
    ['Service', 'Pod'],
  )
  t.same(result.problems, [])
  t.same(
    result.skipped.map((skipped) => `${skipped.file.slice(dir.length + 1)}:${skipped.line}: ${skipped.message}`),
    [
      'chart/Chart.yaml:1: not a Kubernetes object (no kind)',
      'chart/templates/deployment.yaml:1: a template ({{ }}): render it and check the output (helm template … | jackstop check -)',
      'chart/values.yaml:1: not a Kubernetes object (no kind)',
      'overlay/kustomization.yaml:1: a Kustomization: check what it renders (kubectl kustomize DIR | jackstop check -)',
    ],
  )
  const strict = await loadManifests([dir], async () => '')
  t.same(strict.skipped, [], 'strict (the default of the loader, --strict for check) skips nothing')
  t.same(
    strict.problems.map((problem) => problem.message.replace(/:.*/, '')),
    ['not a Kubernetes object (no kind)', 'not valid YAML', 'not a Kubernetes object (no kind)'],
  )
  t.same(
    strict.objects.map((loaded) => loaded.object.kind),
    ['Service', 'Kustomization', 'Pod'],
  )
})

t.test('evasion: template braces in a comment do not hide a miner that kubectl would apply', async (t) => {
  const text = '# {{ rendered by our pipeline }}\napiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec: {containers: [{name: c, image: xmrig/xmrig}]}\n'
  const result = parseManifests(text, 'miner.yaml', lenient)
  t.same(result.skipped, [])
  t.equal(result.objects[0]?.object.kind, 'Pod')
})

t.test('evasion: a Kustomization-looking object of another API group is still an object', async (t) => {
  const result = parseManifests(
    'apiVersion: evil.example/v1\nkind: Kustomization\nspec: {template: {spec: {containers: [{image: xmrig/xmrig}]}}}\n',
    'k.yaml',
    lenient,
  )
  t.same(result.skipped, [])
  t.equal(result.objects.length, 1)
})

t.test('YAML that is broken without template braces is still an error', async (t) => {
  const result = parseManifests('kind: Pod\nmetadata: {name: [unclosed\n', 'broken.yaml', lenient)
  t.equal(result.problems.length, 1)
  t.same(result.skipped, [])
})
