// The corners of intel import: odd records and lists are read or reported, never half-written.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { intelImport, intelUpdate } from '../../src/cli/intel.ts'
import { importIntelTexts } from '../../src/intel/import.ts'
import { listEntries } from '../../src/intel/ioc-list.ts'
import { loadIntel } from '../../src/intel/load.ts'
import { osvPackageEntries } from '../../src/intel/osv.ts'
import { entryKey, writeIntel } from '../../src/intel/write.ts'

function capture(): { write: (text: string) => boolean; text: () => string } {
  let text = ''
  return {
    write: (chunk: string) => {
      text += chunk
      return true
    },
    text: () => text,
  }
}

t.test('plain lists of digests, images, accounts and programs are read, bad lines reported', async (t) => {
  const provenance = { source: 'Test', date: '2025' }
  t.same(listEntries(`SHA256:${'A'.repeat(64)}\nsha256:short`, 'digests', provenance), {
    entries: { digests: [{ digest: `sha256:${'a'.repeat(64)}`, name: 'listed by Test', ...provenance }] },
    rejected: ['line 2: "sha256:short" is not a digest'],
  })
  t.same(listEntries('Evil/Miner\nno-slash', 'images', provenance).rejected, ['line 2: "no-slash" is not a image'])
  t.same(listEntries('someone\nhas space', 'accounts', provenance).entries, { accounts: [{ name: 'someone', ...provenance }] })
  t.same(listEntries('XMRig7\n-bad', 'programs', provenance).entries, { programs: [{ name: 'xmrig7', ...provenance }] })
  t.same(listEntries('hxxps://dl[.]example[.]io/x\nnot/a host', 'installers', provenance).entries, {
    installers: [{ prefix: 'dl.example.io/x', ...provenance }],
  })
})

t.test('OSV records: modified date when unpublished, today when undated, odd affected entries skipped', async (t) => {
  const result = osvPackageEntries({
    id: 'MAL-1',
    modified: '2025-02-03T00:00:00Z',
    affected: [
      { package: { ecosystem: 'npm', name: 'a' }, ranges: [{ events: [{ introduced: '0' }, { fixed: '2' }] }, 'junk'] },
      'junk',
      { package: { ecosystem: 'npm', name: '' } },
      { package: { ecosystem: 'npm', name: 'b' }, versions: ['1.0.0', 7] },
    ],
  })
  t.same(
    result.entries.map(({ name, versions, date }) => ({ name, versions, date })),
    [{ name: 'b', versions: ['1.0.0'], date: '2025-02-03' }],
  )
  t.same(result.skipped, [
    'MAL-1: a lists no versions',
    'MAL-1: package undefined/undefined is not in an ecosystem jackstop reads',
    'MAL-1: package npm/ is not in an ecosystem jackstop reads',
  ])
  const undated = osvPackageEntries({ id: 'MAL-2', affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: ['1'] }] })
  t.match(undated.entries[0]?.date, /^\d{4}-\d{2}-\d{2}$/)
})

t.test('a JSON list of OSV records is read', async (t) => {
  const dir = t.testdir()
  const record = (id: string) => ({
    id,
    published: '2025-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'npm', name: id.toLowerCase() }, versions: ['1.0.0'] }],
  })
  const report = await importIntelTexts([{ name: 'feed.json', text: JSON.stringify([record('A'), record('B')]) }], { policies: dir })
  t.same([report.added, report.files], [2, ['packages.yaml']])
})

t.test('entries are keyed by what makes them the same', async (t) => {
  t.equal(entryKey('digests', { digest: 'SHA256:AB' }), 'sha256:ab')
  t.equal(entryKey('pools', {}), '')
  t.equal(entryKey('packages', { ecosystem: 'PyPI', name: 'A_b.c', id: 'X' }), 'PyPI:a-b-c:X')
  t.equal(entryKey('packages', { ecosystem: 'npm', name: '@S/x', id: 'X' }), 'npm:@s/x:X')
})

t.test('a new list is added to a file that has other lists, in block style', async (t) => {
  const dir = t.testdir({ 'images.yaml': 'images:\n  - { name: a/b, source: T, date: "2025" }\n' })
  const report = await writeIntel(dir, { digests: [{ digest: `sha256:${'b'.repeat(64)}`, name: 'a/b', source: 'T', date: '2025' }] })
  t.same(report.files, ['images.yaml'])
  t.same((await loadIntel(dir)).digests.length, 1)
})

t.test('an intel directory that cannot be read is reported as an import error', async (t) => {
  const dir = t.testdir({ data: { intel: 'a file where the directory should be' } })
  await t.rejects(importIntelTexts([{ name: 'x.txt', text: 'pool.example.org' }], { policies: dir, kind: 'pools' }), {
    code: 'JACKSTOP_ERR_INTEL_IMPORT',
    message: /ENOTDIR/,
  })
  const broken = t.testdir({ data: { intel: { 'pools.yaml': 'pools: 7\n' } } })
  await t.rejects(importIntelTexts([{ name: 'x.txt', text: 'pool.example.org' }], { policies: broken, kind: 'pools' }), { message: /intel\/pools\.yaml/ })
})

t.test('an intel file that cannot be read is reported at load', async (t) => {
  const dir = t.testdir({ 'a.yaml': { 'not-a-file': '' } })
  await t.rejects(loadIntel(dir), /intel\/a\.yaml: EISDIR/)
})

t.test('the intel command prints what it wrote, and says when it wrote nothing', async (t) => {
  const dir = t.testdir()
  await mkdir(join(dir, 'data'), { recursive: true })
  await writeFile(join(dir, 'list.txt'), 'pool.example.org\n')
  await writeFile(join(dir, 'data', 'feeds.yaml'), 'feeds:\n  - { name: local, path: ../list.txt, format: list, kind: pools }\n')
  for (const expected of ['1 added, 0 updated, 0 already present; wrote data/intel/pools.yaml', '0 added, 0 updated, 1 already present; nothing written']) {
    const out = capture()
    t.equal(await intelImport([join(dir, 'list.txt')], { policies: dir, kind: 'pools' }, { stdout: out, stderr: capture() }), 0)
    t.equal(out.text(), `intel import: ${expected}\n`)
  }
  const out = capture()
  t.equal(await intelUpdate({ policies: dir, feeds: join(dir, 'data', 'feeds.yaml') }, { stdout: out, stderr: capture() }), 0)
  t.equal(out.text(), 'intel update local: 0 added, 0 updated, 1 already present; nothing written\n')
})
