import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'
import { runCli, spawnCli } from '../helpers/cli.ts'
import { startFakeCluster } from '../helpers/fake-apiserver.ts'

function deploymentWithPods(name: string, namespace: string, image: string, replicas: number): Record<string, KubeObject[]> {
  const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } }
  const deployment = { metadata: { name, namespace, uid: `d-${name}` }, spec: { template } }
  const replicaSet = {
    metadata: {
      name: `${name}-5d9f`,
      namespace,
      uid: `rs-${name}`,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `d-${name}`, controller: true }],
    },
    spec: { template },
  }
  const pods = Array.from({ length: replicas }, (_, index) => ({
    metadata: {
      name: `${name}-5d9f-${index}`,
      namespace,
      uid: `p-${name}-${index}`,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-5d9f`, uid: `rs-${name}`, controller: true }],
    },
    spec: template.spec,
  }))
  return { deployments: [deployment], replicasets: [replicaSet], pods }
}

const miners = deploymentWithPods('stats', 'shop', 'xmrig/xmrig:6.21.0', 50)
const web = deploymentWithPods('web', 'shop', 'nginx:1.27', 3)
const cluster = {
  objects: {
    deployments: [...(miners.deployments ?? []), ...(web.deployments ?? [])],
    replicasets: [...(miners.replicasets ?? []), ...(web.replicasets ?? [])],
    pods: [
      ...(miners.pods ?? []),
      ...(web.pods ?? []),
      { metadata: { name: 'debug', namespace: 'ops', uid: 'p-debug' }, spec: { hostPID: true, containers: [{ name: 'sh', image: 'busybox' }] } },
    ],
    configmaps: [
      {
        metadata: { name: 'miner-config', namespace: 'ops', uid: 'cm-1' },
        data: { 'config.json': '{"donate-level":1,"pools":[{"url":"pool.supportxmr.com:443","user":"x"}]}' },
      },
      { metadata: { name: 'settings', namespace: 'kube-system', uid: 'cm-2' }, data: { a: 'b' } },
    ],
  },
  token: 'scanner-token',
}

async function kubeconfigFile(t: Test, content: string): Promise<string> {
  const dir = t.testdir()
  const file = join(dir, 'kubeconfig')
  await writeFile(file, content)
  return file
}

t.test('a scan finds running miners, groups a Deployment’s 50 pods into one entry and pages through lists', async (t) => {
  const fake = await startFakeCluster(cluster)
  t.teardown(fake.close)
  const kubeconfig = await kubeconfigFile(t, fake.kubeconfig())
  const result = await runCli(['scan', '--no-hardening', '--kubeconfig', kubeconfig, '--page-size', '7', '-o', 'json'])
  t.equal(result.code, 1)
  t.equal(result.stderr, '', 'no progress bar on a pipe')
  const report = JSON.parse(result.stdout) as {
    objects: { kind: string; namespace: string; name: string; count?: number; source: string; findings: { policy: string }[] }[]
    problems: unknown[]
  }
  const withFindings = report.objects
    .filter((object) => object.findings.length > 0)
    .map(({ kind, namespace, name, count, source, findings }) => ({
      kind,
      namespace,
      name,
      count,
      source,
      policies: findings.map((finding) => finding.policy),
    }))
  t.same(withFindings, [
    { kind: 'Pod', namespace: 'shop', name: 'stats-*', count: 50, source: 'pods of Deployment shop/stats', policies: ['miner-images'] },
    { kind: 'Pod', namespace: 'ops', name: 'debug', count: undefined, source: 'cluster', policies: ['host-namespaces'] },
    { kind: 'Deployment', namespace: 'shop', name: 'stats', count: undefined, source: 'cluster', policies: ['miner-images'] },
    { kind: 'ConfigMap', namespace: 'ops', name: 'miner-config', count: undefined, source: 'cluster', policies: ['miner-configmaps'] },
  ])
  t.same(report.problems, [])
  const podPages = fake.requests.filter((request) => request.startsWith('/api/v1/pods'))
  t.equal(podPages.length, 8, '54 pods in pages of 7')
  t.ok(podPages.every((request) => request.includes('limit=7')))
})

t.test('forbidden cluster-wide lists fall back to namespaces; a forbidden namespace is reported and the scan goes on', async (t) => {
  const fake = await startFakeCluster({ ...cluster, failures: { configmaps: 403, 'configmaps@kube-system': 403 } })
  t.teardown(fake.close)
  const kubeconfig = await kubeconfigFile(t, fake.kubeconfig('prod'))
  const result = await runCli(['scan', '--no-hardening', '--kubeconfig', kubeconfig])
  t.equal(result.code, 1)
  t.match(result.stdout, /ConfigMap ops\/miner-config/)
  t.match(
    result.stdout,
    `ERROR prod (${fake.url}): configmaps in namespace kube-system: 403 Forbidden: configmaps is forbidden: User "scanner" cannot list resource "configmaps" in the namespace "kube-system"`,
  )
})

t.test('--namespace scans one namespace', async (t) => {
  const fake = await startFakeCluster(cluster)
  t.teardown(fake.close)
  const result = await runCli(['scan', '--no-hardening', '--kubeconfig', await kubeconfigFile(t, fake.kubeconfig()), '-n', 'ops', '-o', 'json'])
  const report = JSON.parse(result.stdout) as { objects: { namespace: string }[] }
  t.same([...new Set(report.objects.map((object) => object.namespace))], ['ops'])
  t.ok(fake.requests.every((request) => request.includes('/namespaces/ops/')))
})

t.test('refused credentials are reported clearly and exit 2, by the binary reading $KUBECONFIG', async (t) => {
  const fake = await startFakeCluster(cluster)
  t.teardown(fake.close)
  const kubeconfig = await kubeconfigFile(t, fake.kubeconfig().replace('scanner-token', 'wrong'))
  const result = await spawnCli(['scan', '--no-hardening'], { env: { KUBECONFIG: kubeconfig } })
  t.equal(result.code, 2)
  t.match(result.stdout, /^ERROR test \(https:\/\/127\.0\.0\.1:\d+\): pods in all namespaces: 401 Unauthorized: the credentials were refused$/m)
})

t.test('an unreachable cluster is an error naming it, not a stack trace', async (t) => {
  const fake = await startFakeCluster(cluster)
  const config = fake.kubeconfig()
  await fake.close()
  const result = await runCli(['scan', '--no-hardening', '--kubeconfig', await kubeconfigFile(t, config)])
  t.equal(result.code, 2)
  t.match(result.stdout, /^ERROR test \(https:\/\/127\.0\.0\.1:\d+\): pods in all namespaces: cannot reach the API server: ECONNREFUSED$/m)
})

t.test('PolicyReport and OpenReports outputs are one report per namespace', async (t) => {
  const fake = await startFakeCluster(cluster)
  t.teardown(fake.close)
  const kubeconfig = await kubeconfigFile(t, fake.kubeconfig())
  for (const [output, apiVersion, kind] of [
    ['policyreport', 'wgpolicyk8s.io/v1alpha2', 'PolicyReport'],
    ['openreports', 'openreports.io/v1alpha1', 'Report'],
  ] as const) {
    const result = await runCli(['scan', '--no-hardening', '--kubeconfig', kubeconfig, '-o', output])
    const reports = parseAllDocuments(result.stdout).map(
      (document) =>
        document.toJS() as {
          apiVersion: string
          kind: string
          metadata: { name: string; namespace: string }
          summary: Record<string, number>
          results: { policy: string; result: string; resources: { kind: string; name: string }[]; properties: Record<string, string> }[]
        },
    )
    t.same(
      reports.map((report) => `${report.apiVersion} ${report.kind} ${report.metadata.namespace}/${report.metadata.name}`),
      ['shop', 'ops', 'kube-system'].map((namespace) => `${apiVersion} ${kind} ${namespace}/jackstop-${namespace}`),
    )
    const shop = reports[0]
    t.same(shop?.summary, { pass: 2, fail: 2, warn: 0, error: 0, skip: 0 })
    t.match(shop?.results[0], {
      policy: 'miner-images',
      result: 'fail',
      resources: [{ kind: 'Pod', name: 'stats-*' }],
      properties: { path: 'spec.containers[0].image', count: '50' },
    })
  }
})

t.test('a kubeconfig that cannot be read or a context that does not exist is a clear error', async (t) => {
  const missing = await runCli(['scan', '--no-hardening', '--kubeconfig', '/nonexistent/kubeconfig'])
  t.equal(missing.code, 2)
  t.match(missing.stderr, /^jackstop: cannot scan: .*ENOENT.*\/nonexistent\/kubeconfig/m)
  const fake = await startFakeCluster(cluster)
  t.teardown(fake.close)
  const wrongContext = await runCli(['scan', '--no-hardening', '--kubeconfig', await kubeconfigFile(t, fake.kubeconfig()), '--context', 'staging'])
  t.equal(wrongContext.code, 2)
  t.match(wrongContext.stderr, /^jackstop: cannot scan: context "staging" is not in the kubeconfig \(it has: test\)$/m)
})

t.test('when namespaces cannot be listed either, the fallback is reported', async (t) => {
  const fake = await startFakeCluster({ ...cluster, failures: { configmaps: 403, namespaces: 403 } })
  t.teardown(fake.close)
  const result = await runCli(['scan', '--no-hardening', '--kubeconfig', await kubeconfigFile(t, fake.kubeconfig()), '-o', 'json'])
  const report = JSON.parse(result.stdout) as { problems: { source: string; message: string }[] }
  t.match(report.problems, [{ source: /configmaps in all namespaces$/, message: /^403 Forbidden: .*; namespaces cannot be listed either$/ }])
})

t.test('a terminal gets a progress line on stderr, cleared at the end; SARIF output works for scans', async (t) => {
  const fake = await startFakeCluster(cluster)
  t.teardown(fake.close)
  const kubeconfig = await kubeconfigFile(t, fake.kubeconfig())
  const { code, stdout, stderr } = await runCli(['scan', '--no-hardening', '--kubeconfig', kubeconfig, '-o', 'sarif', '--page-size', '20'], { tty: true })
  t.equal(code, 1)
  t.match(stderr, '\r\u001b[2Kscanning pods: 20')
  t.ok(stderr.endsWith('\r\u001b[2K'))
  t.equal((JSON.parse(stdout) as { version: string }).version, '2.1.0')
})

t.test('a clean cluster exits 0; other list errors are reported per kind; problems go to stderr with report objects', async (t) => {
  const clean = await startFakeCluster({
    objects: { pods: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }] },
    token: 'scanner-token',
  })
  t.teardown(clean.close)
  const cleanResult = await runCli(['scan', '--no-hardening', '--kubeconfig', await kubeconfigFile(t, clean.kubeconfig())])
  t.equal(cleanResult.code, 0)
  t.match(cleanResult.stdout, /^1 objects checked, 0 with findings/m)
  const broken = await startFakeCluster({ ...cluster, failures: { deployments: 500 } })
  t.teardown(broken.close)
  const result = await runCli(['scan', '--no-hardening', '--kubeconfig', await kubeconfigFile(t, broken.kubeconfig()), '-o', 'policyreport'])
  t.equal(result.code, 1)
  t.match(result.stderr, /^jackstop: test \(https:\/\/127\.0\.0\.1:\d+\): deployments in all namespaces: 500: deployments is forbidden/m)
  t.equal((await runCli(['scan', '--no-hardening', '--page-size', '0'])).code, 2)
})
