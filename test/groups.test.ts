// npm test runs test files through the groups of test/helpers/groups.ts: a group without its entry
// file, or an entry file without a group, would silently skip tests.
import t from 'tap'
import { filesOf, GROUPS, groupEntries, testFiles } from './helpers/groups.ts'

t.test('every group has its entry file in test/groups/ and every entry file names a group', async (t) => {
  t.same(groupEntries(), Object.keys(GROUPS).sort())
})

t.test('every test file runs in exactly one group, and no group is empty', async (t) => {
  const runs = Object.keys(GROUPS).flatMap((group) => filesOf(group))
  t.same([...runs].sort(), testFiles())
  for (const group of Object.keys(GROUPS)) t.not(filesOf(group).length, 0, `${group} runs no file`)
})

t.test('a group that does not exist is an error, not an empty run', async (t) => {
  t.throws(() => filesOf('no-such-group'), /no group no-such-group/)
})
