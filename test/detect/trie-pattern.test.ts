import t from 'tap'
import { triePattern } from '../../src/detect/trie-pattern.ts'

t.test('a trie pattern matches exactly the words of its list', async (t) => {
  const words = ['xmrig', 'xmrig-proxy', 'xmr-stak', 'a', 'ab', 'abc', 'b.c', 'XMR']
  const whole = new RegExp(`^(?:${triePattern(words)})$`, 'i')
  for (const word of words) t.equal(whole.test(word), true, word)
  for (const other of ['xmri', 'xmrigg', 'abcd', 'bxc', 'xmr-', '', 'b']) t.equal(whole.test(other), false, JSON.stringify(other))
})

t.test('an empty list matches nothing', async (t) => {
  t.equal(new RegExp(triePattern([])).test('anything'), false)
  t.equal(new RegExp(triePattern([''])).test(''), false)
})
