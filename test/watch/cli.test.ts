import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { CLI } from '../helpers/cli.ts'
import { type FakeCluster, startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, merge, policiesWithRemediation, reportOf, specOf, until } from '../helpers/watch.ts'

// Not t.testdir(): the policies fixture takes that one, and a second call would empty it.
async function kubeconfigFile(t: Test, cluster: FakeCluster): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jackstop-watch-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'kubeconfig')
  await writeFile(file, cluster.kubeconfig())
  return file
}

t.test('jackstop watch runs with the documented flags until SIGTERM, serving probes and metrics, and enforcing what the policies say', async (t) => {
  const cluster = await startFakeCluster({
    objects: merge(deployment('stats', 'shop', 'xmrig/xmrig', { replicas: 2 }), deployment('other', 'elsewhere', 'xmrig/xmrig')),
  })
  t.teardown(() => cluster.close())
  const kubeconfig = await kubeconfigFile(t, cluster)
  const args = [
    'watch',
    '--kubeconfig',
    kubeconfig,
    '--namespaces',
    'shop',
    '--remediation',
    'enforce',
    '--cpu-window',
    '1s',
    '--report-format',
    'policyreport',
  ]
  const extra = ['--policies', await policiesWithRemediation(t), '--port', '0', '--host', '127.0.0.1', '--cpu-sample', '100ms', '--lease-duration', '2s']
  const child = spawn(process.execPath, [CLI, ...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; port?: number })
  await until(t, 'ready', () => lines().some((line) => line.msg === 'jackstop watch ready'), 120_000)
  const port = lines().find((line) => line.msg === 'probes and metrics listening')?.port
  const base = `http://127.0.0.1:${port}`
  t.equal(await (await fetch(`${base}/healthz`)).text(), 'ok\n')
  t.equal((await fetch(`${base}/readyz`)).status, 200)
  t.equal((await fetch(`${base}/nowhere`)).status, 404)
  await until(t, 'the miner scaled to zero', () => specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas === 0)
  await until(t, 'the report', () => reportOf(cluster, 'shop') !== undefined)
  t.equal(specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'elsewhere', 'other')).replicas, 2, 'a namespace not watched is left alone')
  t.equal(reportOf(cluster, 'elsewhere'), undefined)
  await until(t, 'the metrics', async () =>
    /jackstop_watch_remediations_total\{action="scale-to-zero",mode="enforce",outcome="done"\} 1/.test(await (await fetch(`${base}/metrics`)).text()),
  )
  const metrics = await (await fetch(`${base}/metrics`)).text()
  t.match(metrics, /jackstop_watch_findings\{policy="miner-images",action="deny"\} 2/)
  t.match(metrics, /jackstop_watch_leader 1/)
  t.match(metrics, /jackstop_watch_informer_lag_seconds_count \d+/)
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 0, 'a clean exit on SIGTERM')
  t.match(cluster.get('coordination.k8s.io/leases', 'jackstop-system', 'jackstop-watch')?.spec, { holderIdentity: null }, 'the Lease released')
})
