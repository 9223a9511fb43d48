// npm test runs test files through the groups of test/helpers/groups.ts: a group without its entry
// file, an entry file without a group, or a file claimed twice would silently skip or repeat tests.
import t from 'tap'
import { filesOf, GROUPS, groupEntries, groupOf, REST, testFiles } from './helpers/groups.ts'

t.test('every group has its entry file in test/groups/ and every entry file names a group', async (t) => {
  t.same(groupEntries(), Object.keys(GROUPS).sort())
})

t.test('exactly one group runs the rest, and no file or folder is named by two groups', async (t) => {
  t.same(
    Object.keys(GROUPS).filter((group) => GROUPS[group]?.length === 0),
    [REST],
  )
  const entries = Object.values(GROUPS).flat()
  t.same(entries, [...new Set(entries)])
})

t.test('every test file runs in exactly one group, and no group is empty', async (t) => {
  const runs = Object.keys(GROUPS).flatMap((group) => filesOf(group))
  t.same([...runs].sort(), testFiles())
  for (const group of Object.keys(GROUPS)) t.not(filesOf(group).length, 0, `${group} runs no file`)
})

t.test('a file named by its group beats the folder another group names; an unnamed folder goes to the rest', async (t) => {
  t.equal(groupOf('cli/scan.test.ts'), '6-cli-scan')
  t.equal(groupOf('cli/check.test.ts'), '4-cli')
  t.equal(groupOf('no-such-area/new.test.ts'), REST)
})

t.test('a group that does not exist is an error, not an empty run', async (t) => {
  t.throws(() => filesOf('no-such-group'), /no group no-such-group/)
})
