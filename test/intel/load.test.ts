// Intel is data with provenance: every entry must say where it comes from, and the denial quotes it.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { evaluate } from '../../src/engine/evaluate.ts'
import { loadIntel } from '../../src/intel/load.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

async function policiesCopy(t: { testdir: () => string }): Promise<string> {
  const dir = t.testdir()
  await cp(DEFAULT_POLICIES, dir, { recursive: true })
  return dir
}

function pod(image: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image, ...extra }] } }
}

t.test('every curated intel list is present, and every entry carries a source and a date', async (t) => {
  const intel = await loadIntel(join(DEFAULT_POLICIES, 'data', 'intel'))
  for (const [list, entries] of Object.entries(intel)) {
    if (list === 'digests') continue
    t.ok(entries.length > 0, `${list} has entries`)
  }
  const all = Object.values(intel).flat() as { source: string; date: string }[]
  t.same(
    all.filter((entry) => !entry.source || !/^\d{4}/.test(entry.date)),
    [],
  )
})

t.test('an intel entry without a source is refused at load with its file and field', async (t) => {
  const dir = await policiesCopy(t)
  await writeFile(join(dir, 'data', 'intel', 'extra.yaml'), 'pools:\n  - { domain: pool.example.org, date: 2025-01 }\n')
  await t.rejects(loadPolicySet(dir), {
    code: 'JACKSTOP_ERR_POLICY_LOAD',
    message: /data\/intel\/extra\.yaml: \/pools\/0 must have required property 'source'/,
  })
})

t.test('an intel file that is not YAML is refused at load', async (t) => {
  const dir = await policiesCopy(t)
  await writeFile(join(dir, 'data', 'intel', 'broken.yaml'), 'pools: [\n')
  await t.rejects(loadPolicySet(dir), { message: /intel\/broken\.yaml: not valid YAML/ })
})

t.test('a directory without intel loads with empty lists', async (t) => {
  const intel = await loadIntel(join(t.testdir(), 'absent'))
  t.same(intel, { images: [], accounts: [], digests: [], pools: [], programs: [], installers: [], packages: [] })
})

t.test('an unreadable intel directory is reported', async (t) => {
  const dir = t.testdir({ 'not-a-dir': 'x' })
  await t.rejects(loadIntel(join(dir, 'not-a-dir')), /ENOTDIR/)
})

t.test('intel from several files is merged, and an empty file adds nothing', async (t) => {
  const dir = t.testdir({
    'a.yaml': 'pools:\n  - { domain: a.example, source: Test, date: 2025-01 }\n',
    'b.yml': 'pools:\n  - { domain: b.example, source: Test, date: 2025-02 }\n',
    'empty.yaml': '',
    'notes.txt': 'ignored',
  })
  const intel = await loadIntel(dir)
  t.same(
    intel.pools.map((pool) => pool.domain),
    ['a.example', 'b.example'],
  )
})

t.test('an image listed by digest is refused whatever it is called, quoting its source', async (t) => {
  const dir = await policiesCopy(t)
  const digest = `sha256:${'ab'.repeat(32)}`
  await mkdir(join(dir, 'data', 'intel'), { recursive: true })
  await writeFile(
    join(dir, 'data', 'intel', 'digests-extra.yaml'),
    `digests:\n  - { digest: "${digest}", name: registry.example/ingress/controller, source: Example CERT, date: 2025-07 }\n`,
  )
  const set = await loadPolicySet(dir)
  const image = `registry.k8s.io/ingress-nginx/controller:v1.12.1@${digest}`
  const finding = evaluate({ object: pod(image) }, set).findings.find((found) => found.policy === 'miner-images')
  t.equal(
    finding?.message,
    `spec.containers[0] "c": image "${image}" has the digest of the crypto-miner image registry.example/ingress/controller (Example CERT, 2025-07) (miner-images)`,
  )
})

t.test('a pool added to intel is refused after a reload, without a code change', async (t) => {
  const dir = await policiesCopy(t)
  const before = await loadPolicySet(dir)
  const object = pod('alpine:3.20', { args: ['-o', 'stratum.pool.example.net:443'] })
  const minerFindings = (set: typeof before) => evaluate({ object }, set).findings.filter((found) => found.policy === 'miner-signals')
  t.same(minerFindings(before), [])
  const file = join(dir, 'data', 'intel', 'pools.yaml')
  await writeFile(file, `${await readFile(file, 'utf8')}  - { domain: pool.example.net, source: Test, date: 2025-01 }\n`)
  const after = await loadPolicySet(dir)
  t.match(minerFindings(after)[0]?.message, /mining pool "stratum\.pool\.example\.net"/)
})
