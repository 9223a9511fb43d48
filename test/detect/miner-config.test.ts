import t from 'tap'
import { minerConfigSigns } from '../../src/detect/miner-config.ts'

t.test('an xmrig-style config is recognised by its pools and miner-only keys', async (t) => {
  t.same(minerConfigSigns('  {"donate-level":1,"randomx":{},"pools":[{"url":"a:1"},{"url":"pool:443","user":"w"}]}'), {
    pools: 'pools[1].url',
    minerKeys: ['donate-level', 'randomx'],
  })
  t.same(minerConfigSigns('{"pools":[{"url":"pool:443","wallet":"w"}]}'), { pools: 'pools[0].url', minerKeys: [] })
  t.same(minerConfigSigns('{"pools":[{"name":"db","size":10}],"pools-size":3}'), { pools: undefined, minerKeys: [] })
})

t.test('text that is not a JSON object, or too large to read, is not a miner config', async (t) => {
  t.equal(minerConfigSigns('{ not json'), undefined)
  t.equal(minerConfigSigns('[1,2]'), undefined)
  t.equal(minerConfigSigns('pools: []'), undefined)
  t.equal(minerConfigSigns(`{"pools":[],"padding":"${'x'.repeat(1024 * 1024)}"}`), undefined)
})
