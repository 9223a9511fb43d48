// `jackstop intel import|update`: public feeds become policy data, de-duplicated, with their
// record ids kept, and the webhook's denial names the record.
import { cp, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { evaluate } from '../../src/engine/evaluate.ts'
import { updateIntel } from '../../src/intel/feeds.ts'
import { importIntelFiles } from '../../src/intel/import.ts'
import { loadIntel } from '../../src/intel/load.ts'
import { loadPolicySet } from '../../src/policy/load.ts'
import { runCli } from '../helpers/cli.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

const FIXTURES = new URL('../fixtures/intel/', import.meta.url).pathname

async function policiesCopy(t: { testdir: () => string }): Promise<string> {
  const dir = t.testdir()
  await cp(DEFAULT_POLICIES, dir, { recursive: true })
  return dir
}

function installing(command: string[]) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'python:3.12', command }] } }
}

t.test('an OSV record from ossf/malicious-packages is imported and the denial names its id', async (t) => {
  const dir = await policiesCopy(t)
  const result = await runCli(['intel', 'import', '--policies', dir, join(FIXTURES, 'osv/pypi/7miners/MAL-2026-2670.json')])
  t.equal(result.stdout, 'intel import: 1 added, 0 updated, 0 already present; wrote data/intel/packages.yaml\n')
  t.equal(result.code, 0)
  const set = await loadPolicySet(dir)
  const finding = evaluate({ object: installing(['pip', 'install', '7miners==2.33.0']) }, set).findings.find((found) => found.policy === 'malicious-packages')
  t.equal(
    finding?.message,
    'spec.containers[0] "c": installs 7miners 2.33.0 (PyPI), a known-malicious package version (MAL-2026-2670; OSV, 2026-04-14) (malicious-packages)',
  )
  t.match(await readFile(join(dir, 'data/intel/packages.yaml'), 'utf8'), /# Package versions known to carry a miner/, 'the curated file keeps its comments')
})

t.test('importing the same records twice adds nothing the second time', async (t) => {
  const dir = await policiesCopy(t)
  const first = await importIntelFiles([join(FIXTURES, 'osv')], { policies: dir })
  const second = await importIntelFiles([join(FIXTURES, 'osv')], { policies: dir })
  t.same([first.added, first.unchanged], [2, 0])
  t.same([second.added, second.updated, second.unchanged, second.files], [0, 0, 2, []])
})

t.test('a record for every version becomes *, and records jackstop cannot use are reported', async (t) => {
  const dir = await policiesCopy(t)
  const report = await importIntelFiles([join(FIXTURES, 'osv/npm')], { policies: dir })
  t.same(
    report.skipped.map((line) => line.replace(/^.*\.json: /, '')),
    [
      'MAL-0000-fixture-evil-miner: package Maven/org.example:evil is not in an ecosystem jackstop reads',
      'MAL-0000-fixture-evil-miner: half-record lists no versions',
    ],
  )
  const intel = await loadIntel(join(dir, 'data/intel'))
  t.same(
    intel.packages.filter((entry) => entry.id.startsWith('MAL-0000-fixture')).map(({ name, versions }) => ({ name, versions })),
    [{ name: 'evil-miner', versions: ['*'] }],
  )
  const set = await loadPolicySet(dir)
  t.equal(evaluate({ object: installing(['npx', 'evil-miner']) }, set).findings.filter((found) => found.policy === 'malicious-packages').length, 1)
})

t.test('a record that gains a version updates the entry instead of adding another', async (t) => {
  const dir = await policiesCopy(t)
  const record = JSON.parse(await readFile(join(FIXTURES, 'osv/pypi/7miners/MAL-2026-2670.json'), 'utf8'))
  await importIntelFiles([join(FIXTURES, 'osv/pypi')], { policies: dir })
  record.affected[0].versions.push('2.33.1')
  const updated = join(dir, 'updated.json')
  await writeFile(updated, JSON.stringify(record))
  const report = await importIntelFiles([updated], { policies: dir })
  t.same([report.added, report.updated], [0, 1])
  const intel = await loadIntel(join(dir, 'data/intel'))
  t.same(intel.packages.find((entry) => entry.id === 'MAL-2026-2670')?.versions, ['2.33.0', '2.33.1'])
})

t.test('a plain list of pools is refanged, de-duplicated against curated intel, and quoted with its source', async (t) => {
  const dir = await policiesCopy(t)
  const result = await runCli([
    'intel',
    'import',
    '--policies',
    dir,
    '--kind',
    'pools',
    '--source',
    'Example SOC',
    '--date',
    '2025-09',
    join(FIXTURES, 'pools.txt'),
  ])
  t.equal(result.stdout, 'intel import: 3 added, 0 updated, 1 already present; wrote data/intel/pools.yaml\n')
  t.match(result.stderr, /skipped: .*pools\.txt: line 6: "not a domain" is not a pool/)
  const set = await loadPolicySet(dir)
  const object = { ...installing(['/bin/app']), spec: { containers: [{ name: 'c', image: 'alpine', args: ['-o', 'eu.xmr.example-pool.org:443'] }] } }
  t.match(evaluate({ object }, set).findings.find((found) => found.policy === 'miner-signals')?.message, /mining pool "eu\.xmr\.example-pool\.org"/)
})

t.test('a plain list without --kind, and JSON that is not OSV, are refused without writing anything', async (t) => {
  const dir = await policiesCopy(t)
  const before = await readFile(join(dir, 'data/intel/pools.yaml'), 'utf8')
  const plain = await runCli(['intel', 'import', '--policies', dir, join(FIXTURES, 'pools.txt')])
  t.equal(plain.code, 2)
  t.match(plain.stderr, /JACKSTOP_ERR_INTEL_IMPORT: .*pools\.txt: not an OSV record; give --kind for a plain list/)
  const notOsv = join(dir, 'x.json')
  await writeFile(notOsv, '{"hello": 1}')
  await t.rejects(importIntelFiles([notOsv], { policies: dir }), { code: 'JACKSTOP_ERR_INTEL_IMPORT', message: /not an OSV record/ })
  await writeFile(notOsv, '{"hello": ')
  await t.rejects(importIntelFiles([notOsv], { policies: dir }), { message: /not valid JSON/ })
  await t.rejects(importIntelFiles([join(dir, 'absent.json')], { policies: dir }), { message: /absent\.json: ENOENT/ })
  await t.rejects(importIntelFiles([join(FIXTURES, 'pools.txt')], { policies: dir, kind: 'pools', date: 'yesterday' }), { message: /--date yesterday/ })
  t.equal(await readFile(join(dir, 'data/intel/pools.yaml'), 'utf8'), before)
})

t.test('a policies directory without intel gets new files', async (t) => {
  const dir = t.testdir({ 'x.yaml': '' })
  const report = await importIntelFiles([join(FIXTURES, 'pools.txt')], { policies: dir, kind: 'pools', source: 'Example SOC' })
  t.same(report.files, ['pools.yaml'])
  t.same((await loadIntel(join(dir, 'data/intel'))).pools.length, 4)
})

t.test('intel update imports every configured feed: paths offline, URLs through the fetcher', async (t) => {
  const dir = await policiesCopy(t)
  const feeds = join(dir, 'data/intel-feeds.yaml')
  await writeFile(
    feeds,
    [
      'feeds:',
      `  - { name: osv, path: ${join(FIXTURES, 'osv/pypi')}, format: osv }`,
      '  - { name: soc-installers, url: "http://intel.example/installers.txt", format: list, kind: installers, source: Example SOC }',
      '',
    ].join('\n'),
  )
  const fetched: string[] = []
  const reports = await updateIntel({ policies: dir }, async (url) => {
    fetched.push(url)
    return 'hxxps://dl.example-miner[.]io/setup\n'
  })
  t.same(fetched, ['http://intel.example/installers.txt'])
  t.same(
    reports.map(({ feed, report }) => [feed, report.added]),
    [
      ['osv', 1],
      ['soc-installers', 1],
    ],
  )
  const intel = await loadIntel(join(dir, 'data/intel'))
  t.same(intel.installers.at(-1), { prefix: 'dl.example-miner.io/setup', source: 'Example SOC', date: intel.installers.at(-1)?.date })
})

t.test('intel update fetches over HTTP by default and reports a feed that fails', async (t) => {
  const dir = await policiesCopy(t)
  const server = createServer((request, response) => {
    if (request.url === '/pools.txt') response.end('pool.feed-example.net\n')
    else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const feeds = join(dir, 'feeds.yaml')
  await writeFile(feeds, `feeds:\n  - { name: pools, url: "${base}/pools.txt", format: list, kind: pools }\n`)
  const result = await runCli(['intel', 'update', '--policies', dir, '--feeds', feeds])
  t.equal(result.stdout, 'intel update pools: 1 added, 0 updated, 0 already present; wrote data/intel/pools.yaml\n')
  await writeFile(feeds, `feeds:\n  - { name: gone, url: "${base}/gone.txt", format: list, kind: pools }\n`)
  await t.rejects(updateIntel({ policies: dir, feeds }), { message: /feed gone: .*gone\.txt: HTTP 404/ })
})

t.test('a broken feeds file is reported with its field', async (t) => {
  const dir = t.testdir({
    'feeds.yaml': 'feeds:\n  - { name: x, format: list, path: a.txt }\n',
    'bad.yaml': 'feeds: [\n',
    'wrong.yaml': 'feeds:\n  - { name: x, format: rss, path: a }\n',
  })
  await t.rejects(updateIntel({ policies: dir, feeds: join(dir, 'feeds.yaml') }), { message: /feed x is a list and needs a kind/ })
  await t.rejects(updateIntel({ policies: dir, feeds: join(dir, 'bad.yaml') }), { code: 'JACKSTOP_ERR_INTEL_IMPORT' })
  await t.rejects(updateIntel({ policies: dir, feeds: join(dir, 'wrong.yaml') }), { message: /\/feeds\/0\/format must be one of osv, list/ })
})

t.test('the shipped feeds file lists no feed, so update changes nothing by default', async (t) => {
  const dir = await policiesCopy(t)
  t.same(await updateIntel({ policies: dir }), [])
})
