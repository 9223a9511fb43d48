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

t.test('configs xmrig accepts with comments and trailing commas are read (JSON5)', async (t) => {
  t.same(minerConfigSigns('{\n  // tuned\n  "donate-level": 0,\n  "pools": [ { "url": "pool.example.net:3333", "user": "w", }, ],\n}'), {
    pools: 'pools[0].url',
    minerKeys: ['donate-level'],
  })
  t.equal(minerConfigSigns('{ broken: [ }'), undefined)
  t.equal(minerConfigSigns('{ "json5 but not an object" }'), undefined)
})

t.test("xmr-stak's pools.txt is a miner config", async (t) => {
  t.same(minerConfigSigns('"pool_list" : [ {"pool_address" : "203.0.113.81:5555", "wallet_address" : "w", "pool_weight" : 1 }, ],\n"currency" : "monero",\n'), {
    pools: 'pool_list[0].pool_address',
    minerKeys: [],
  })
  t.same(minerConfigSigns('"pool_list" : [ {"pool_address" : "not an address", "wallet_address" : "w"} ]'), { pools: undefined, minerKeys: [] })
})

t.test('a pools list of database URLs is not a miner config', async (t) => {
  t.same(minerConfigSigns('{"pools": [{"url": "postgres://app@db:5432/app", "user": "app"}]}'), { pools: undefined, minerKeys: [] })
  t.same(minerConfigSigns('{"pools": [{"url": "stratum+ssl://u@pool.example:443/", "user": "w"}]}'), { pools: 'pools[0].url', minerKeys: [] })
  t.same(minerConfigSigns('{"pools": [{"url": "https://pool.example:443", "user": "w"}]}'), { pools: undefined, minerKeys: [] })
})
