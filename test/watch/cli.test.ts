import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { spawnUntilReady, startCli } from '../helpers/cli.ts'
import { type FakeCluster, startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, merge, policiesWithRemediation, reportOf, specOf, until } from '../helpers/watch.ts'

const READY = /jackstop watch is running \(remediation: ([a-z-]+)\)/

// Not t.testdir(): the policies fixture takes that one, and a second call would empty it.
async function kubeconfigFile(t: Test, cluster: FakeCluster): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jackstop-watch-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'kubeconfig')
  await writeFile(file, cluster.kubeconfig())
  return file
}

/** pino's JSON lines from the command's stdout. */
function logLines(stdout: string): { msg: string; port?: number; signal?: string }[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
}

function leaseHolder(cluster: FakeCluster, namespace: string): unknown {
  return (cluster.get('coordination.k8s.io/leases', namespace, 'jackstop-watch')?.spec as { holderIdentity?: unknown } | undefined)?.holderIdentity
}

t.test('jackstop watch runs with the documented flags until shutdown, serving probes and metrics, and enforcing what the policies say', async (t) => {
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
  const extra = [
    '--policies',
    await policiesWithRemediation(t),
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--cpu-sample',
    '100ms',
    '--lease-duration',
    '2s',
    '--cpu-cores',
    '0.5',
  ]
  const watch = await startCli([...args, ...extra], READY)
  let stopped = false
  t.teardown(() => (stopped ? undefined : watch.shutdown()))
  t.equal(watch.match[1], 'enforce')
  const lines = () => logLines(watch.output().stdout)
  t.ok(
    lines().some((line) => line.msg === 'jackstop watch ready'),
    'ready is logged before the command returns',
  )
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
  await watch.shutdown()
  stopped = true
  t.ok(
    lines().some((line) => line.msg === 'shutting down: releasing the Lease, closing watches' && line.signal === 'SIGTERM'),
    'the shutdown is logged with its signal',
  )
  t.equal(leaseHolder(cluster, 'jackstop-system'), null, 'the Lease released')
  await t.rejects(fetch(`${base}/healthz`), 'the probe port is closed')
})

t.test('the jackstop binary takes its cluster, port and identity from the environment and exits 0 on SIGTERM', async (t) => {
  const cluster = await startFakeCluster({ objects: deployment('stats', 'shop', 'xmrig/xmrig', { replicas: 2 }) })
  t.teardown(() => cluster.close())
  const env = {
    KUBECONFIG: await kubeconfigFile(t, cluster),
    JACKSTOP_WATCH_HOST: '127.0.0.1',
    JACKSTOP_WATCH_PORT: '0',
    POD_NAMESPACE: 'watchers',
    POD_NAME: 'replica-a',
  }
  const { child, match, output } = await spawnUntilReady(['watch', '--policies', await policiesWithRemediation(t), '--lease-duration', '2s'], READY, env)
  t.teardown(() => child.kill('SIGKILL'))
  t.equal(match[1], 'dry-run', 'a dry run unless told to enforce')
  const port = logLines(output().stdout).find((line) => line.msg === 'probes and metrics listening')?.port
  t.equal(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text(), 'ok\n')
  await until(t, 'the Lease held by POD_NAME in POD_NAMESPACE', () => leaseHolder(cluster, 'watchers') === 'replica-a')
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 0, 'a clean exit on SIGTERM')
  t.equal(leaseHolder(cluster, 'watchers'), null, 'the Lease released')
  t.equal(specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas, 2, 'nothing changed in a dry run')
})
