import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { runCli } from '../helpers/cli.ts'
import { startFakeCluster } from '../helpers/fake-cluster.ts'
import { deployment, specOf } from '../helpers/watch.ts'

t.test('jackstop undo restores a Deployment from its record, and says why when there is nothing to undo', async (t) => {
  const stats = deployment('stats', 'shop', 'xmrig/xmrig', { replicas: 0 })
  const record = {
    action: 'scale-to-zero',
    policy: 'miner-images',
    at: '2026-12-02T00:00:00.000Z',
    did: 'scale',
    undo: 'jackstop undo deployment/stats -n shop',
    restore: { replicas: 2 },
  }
  const scaled = stats['apps/deployments']?.[0]
  const cluster = await startFakeCluster({
    objects: { 'apps/deployments': [{ ...scaled, metadata: { ...scaled?.metadata, annotations: { 'jackstop.io/remediation': JSON.stringify(record) } } }] },
  })
  t.teardown(() => cluster.close())
  const dir = await mkdtemp(join(tmpdir(), 'jackstop-undo-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const kubeconfig = join(dir, 'kubeconfig')
  await writeFile(kubeconfig, cluster.kubeconfig())
  const undone = await runCli(['undo', 'deployment/stats', '-n', 'shop', '--kubeconfig', kubeconfig])
  t.same(undone, { code: 0, stdout: 'scaled Deployment shop/stats back to 2 replicas\n', stderr: '' })
  t.equal(specOf<{ replicas?: number }>(cluster.get('apps/deployments', 'shop', 'stats')).replicas, 2)
  const again = await runCli(['undo', 'deployment/stats', '-n', 'shop', '--kubeconfig', kubeconfig])
  t.equal(again.code, 2)
  t.match(again.stderr, /^jackstop: JACKSTOP_ERR_UNDO: cannot undo: Deployment shop\/stats has no jackstop\.io\/remediation annotation/)
  const missing = await runCli(['undo', 'deployment/ghost', '-n', 'shop'], { env: { KUBECONFIG: kubeconfig } })
  t.match(missing, { code: 2, stdout: '', stderr: /^jackstop: cannot undo: 404: / }, 'the cluster from KUBECONFIG in the environment it is given')
  const unknown = await runCli(['undo', 'service/stats', '-n', 'shop', '--kubeconfig', kubeconfig])
  t.match(unknown, { code: 2, stdout: '', stderr: /^jackstop: JACKSTOP_ERR_UNDO: / }, 'a kind jackstop never remediates')
})
