// `jackstop check` throughput: 10,000 generated manifests (Deployments, Pods, ConfigMaps,
// some of them miners), in 100 multi-document files, checked the way the CLI does it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { checkObjects } from '../src/cli/check.ts'
import { loadManifests } from '../src/loader/manifests.ts'
import { loadPolicySet } from '../src/policy/load.ts'

function manifest(index: number): object {
  const name = `app-${index}`
  const image = index % 50 === 0 ? 'xmrig/xmrig:6.21.0' : `registry.example.com/team/${name}:1.${index % 7}.0`
  const container = { name, image, args: ['--listen=:8080', `--id=${index}`], env: [{ name: 'MODE', value: 'production' }], ports: [{ containerPort: 8080 }] }
  if (index % 3 === 0) return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: `team-${index % 20}` }, spec: { containers: [container] } }
  if (index % 3 === 1)
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: `team-${index % 20}` },
      data: { 'app.properties': `id=${index}\nmode=production\n` },
    }
  const template = { metadata: { labels: { app: name } }, spec: { containers: [container] } }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: `team-${index % 20}` },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template },
  }
}

export async function benchCheck(total = 10_000): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'jackstop-bench-'))
  try {
    for (let file = 0; file < 100; file++) {
      const documents = Array.from({ length: total / 100 }, (_, index) => stringify(manifest(file * (total / 100) + index)))
      writeFileSync(join(dir, `manifests-${file}.yaml`), documents.join('---\n'))
    }
    const policySet = await loadPolicySet(new URL('../policies/', import.meta.url).pathname)
    const runs: number[] = []
    let objects = 0
    for (let round = 0; round < 3; round++) {
      const start = process.hrtime.bigint()
      const loaded = await loadManifests([dir], async () => '')
      objects = checkObjects(loaded, policySet).objects.length
      runs.push(Number(process.hrtime.bigint() - start) / 1e9)
    }
    runs.sort((a, b) => a - b)
    const seconds = runs[1] as number
    const start = process.hrtime.bigint()
    const cli = spawnSync(process.execPath, [new URL('../src/cli/main.ts', import.meta.url).pathname, 'check', '-o', 'json', dir], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    })
    const cliSeconds = Number(process.hrtime.bigint() - start) / 1e9
    return [
      `jackstop check over ${objects} objects in 100 files (median of 3 in-process runs): ${seconds.toFixed(2)} s, ${Math.round(objects / seconds)} objects/s`,
      `  the CLI end to end (start-up, policy load, JSON output; exit ${cli.status}): ${cliSeconds.toFixed(2)} s, ${Math.round(objects / cliSeconds)} objects/s`,
    ].join('\n')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
