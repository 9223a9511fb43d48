// `jackstop check` as a CI gate over a real repository: its 0/1 answer must survive Helm charts
// and kustomizations beside the manifests, and a rendered overlay piped in must be judged.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import tap from 'tap'
import { parseAllDocuments } from 'yaml'
import { runCli } from '../helpers/cli.ts'

const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: checkout }
spec:
  template:
    spec:
      containers:
        - name: worker
          image: xmrig/xmrig:6.21.0
          securityContext: { privileged: true }
`

function repository(t: { testdir: (typeof tap)['testdir'] }, app: string) {
  return t.testdir({
    chart: {
      'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
      'values.yaml': 'replicas: 2\n',
      templates: { 'deployment.yaml': '{{- if .Values.enabled }}\nkind: Deployment\n  {{- include "x" . | nindent 2 }}\n{{- end }}\n' },
    },
    deploy: {
      'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources: [app.yaml]\n',
      'app.yaml': app,
    },
  })
}

const clean = 'apiVersion: v1\nkind: Pod\nmetadata: { name: web }\nspec: { containers: [{ name: web, image: nginx:1.27 }] }\n'

tap.test('a repository with a chart and a kustomization passes with notices; --strict fails on them', async (t) => {
  const dir = repository(t, clean)
  const lenient = await runCli(['check', dir])
  t.equal(lenient.code, 0, lenient.stdout + lenient.stderr)
  t.match(lenient.stdout, /SKIP {2}.*Chart\.yaml:1: not a Kubernetes object \(no kind\)/)
  t.match(lenient.stdout, /SKIP {2}.*kustomization\.yaml:1: a Kustomization: check what it renders/)
  t.match(lenient.stdout, /1 objects checked, 0 with findings: 0 deny, 0 warn, 0 audit; 4 skipped \(not Kubernetes objects\)\n$/)
  const strict = await runCli(['check', '--strict', dir])
  t.equal(strict.code, 2)
})

tap.test('kubectl kustomize DIR | jackstop check -o policyreport - reports the rendered Rollout as failing', async (t) => {
  const dir = repository(t, rollout)
  const rendered = execFileSync('kubectl', ['kustomize', join(dir, 'deploy')], { encoding: 'utf8' })
  const result = await runCli(['check', '-o', 'policyreport', '-'], { input: rendered })
  t.equal(result.code, 1, result.stderr)
  const [report] = parseAllDocuments(result.stdout).map((document) => document.toJS())
  t.match(report, { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { namespace: 'shop' }, summary: { fail: 2, pass: 0 } })
  t.same(report.results[0].resources, [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', namespace: 'shop' }])
})

tap.test('check -o sarif --sarif-root gives file URIs relative to the repository', async (t) => {
  const dir = repository(t, rollout)
  const result = await runCli(['check', '-o', 'sarif', '--sarif-root', dir, join(dir, 'deploy')])
  t.equal(result.code, 1, result.stderr)
  const sarif = JSON.parse(result.stdout)
  t.same(
    sarif.runs[0].results.map(
      (entry: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) => entry.locations[0]?.physicalLocation.artifactLocation,
    ),
    Array(2).fill({ uri: 'deploy/app.yaml', uriBaseId: '%SRCROOT%' }),
  )
  t.same(
    sarif.runs[0].invocations[0].toolExecutionNotifications.map((entry: { level: string }) => entry.level),
    ['note'],
  )
})
