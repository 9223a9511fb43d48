// Reloading policies must not pay for compiling the same schemas again, yet a changed schema must
// be compiled anew, a failure must not stick, and the cache must not grow without bound.
import t from 'tap'
import { schemaCache } from '../../src/policy/schema-cache.ts'

function counting() {
  const calls: string[] = []
  const compile = (schema: object) => () => calls.push(JSON.stringify(schema))
  return { calls, compile }
}

t.test('the same schema text, even as a new object, is compiled once', async (t) => {
  const cache = schemaCache<number>(8)
  const { calls, compile } = counting()
  const first = { type: 'object', required: ['a'] }
  const again = { type: 'object', required: ['a'] }
  t.equal(cache(first, compile(first)), 1)
  t.equal(cache(again, compile(again)), 1)
  t.equal(calls.length, 1)
})

t.test('a changed schema is compiled anew', async (t) => {
  const cache = schemaCache<number>(8)
  const { calls, compile } = counting()
  const before = { type: 'string', maxLength: 8 }
  const after = { type: 'string', maxLength: 9 }
  t.equal(cache(before, compile(before)), 1)
  t.equal(cache(after, compile(after)), 2)
  t.same(calls, [JSON.stringify(before), JSON.stringify(after)])
})

t.test('a schema that fails to compile fails again next time, not served from the cache', async (t) => {
  const cache = schemaCache<number>(8)
  let attempts = 0
  const failing = () => {
    attempts++
    throw new Error('unknown keyword')
  }
  t.throws(() => cache({ bogus: true }, failing), /unknown keyword/)
  t.throws(() => cache({ bogus: true }, failing), /unknown keyword/)
  t.equal(attempts, 2)
})

t.test('past its limit the cache starts over instead of growing', async (t) => {
  const cache = schemaCache<number>(2)
  const { calls, compile } = counting()
  const schemas = [{ const: 1 }, { const: 2 }, { const: 3 }]
  for (const schema of schemas) cache(schema, compile(schema))
  // The third schema emptied the cache: the first is compiled again, the third is still kept.
  cache(schemas[0] as object, compile(schemas[0] as object))
  cache(schemas[2] as object, compile(schemas[2] as object))
  t.equal(calls.length, 4)
})
