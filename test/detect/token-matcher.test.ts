import t from 'tap'
import { tokenMatcher } from '../../src/detect/token-matcher.ts'

const match = tokenMatcher(['xmrig', 'xmr-stak', 'cpuminer'])

t.test('a word matches only whole, between separators', async (t) => {
  t.equal(match('docker.io/someone/xmrig'), 'xmrig')
  t.equal(match('tools/xmrig-proxy:1.0'), 'xmrig')
  t.equal(match('XMRIG'), 'XMRIG', 'quotes the text as written')
  t.equal(match('docker.io/somexmrig/app'), undefined)
  t.equal(match('xmrigger'), undefined)
})

t.test('a word with separators matches any separator or none', async (t) => {
  t.equal(match('a/xmr-stak'), 'xmr-stak')
  t.equal(match('a/xmr_stak:latest'), 'xmr_stak')
  t.equal(match('a/xmrstak'), 'xmrstak')
})

t.test('an empty list matches nothing', async (t) => {
  t.equal(tokenMatcher([])('xmrig'), undefined)
})
