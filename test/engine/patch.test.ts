// The derived patch is what fast-json-patch's compare would derive, without its copies, and it
// applies: held to the library on random pairs of documents (seeded, so a failure replays).
import fc from 'fast-check'
import jsonPatch from 'fast-json-patch'
import t from 'tap'
import { deriveJsonPatch, jsonPointer } from '../../src/engine/patch.ts'

/** A document and an edited copy: fields changed, added, removed, lists grown and shrunk. */
const key = fc.oneof(fc.constantFrom('a', 'b', 'c', 'limits', 'a/b', 'm~n', '~1', ''), fc.string({ maxLength: 4 }))
const value = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, 'x', ''),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(key, tie('json'), { maxKeys: 4 }),
  ),
})).json
const document = fc.dictionary(key, value, { maxKeys: 5 })

function edited(original: Record<string, unknown>, edits: [number, unknown, boolean][]): Record<string, unknown> {
  const copy = structuredClone(original)
  const holders: (Record<string, unknown> | unknown[])[] = []
  const collect = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return
    holders.push(node as Record<string, unknown>)
    for (const child of Object.values(node)) collect(child)
  }
  collect(copy)
  for (const [pick, replacement, remove] of edits) {
    const holder = holders[pick % holders.length] as Record<string, unknown> | unknown[]
    if (Array.isArray(holder)) {
      if (remove) holder.pop()
      else holder.push(replacement)
      continue
    }
    const keys = Object.keys(holder)
    const name = keys.length === 0 || !remove ? `k${pick % 3}` : (keys[pick % keys.length] as string)
    if (remove) delete holder[name]
    else holder[name] = replacement
  }
  return copy
}

t.test('the patch is the one fast-json-patch derives, and it turns the original into the edited document', async (t) => {
  fc.assert(
    fc.property(document, fc.array(fc.tuple(fc.nat(), value, fc.boolean()), { maxLength: 4 }), (original, edits) => {
      const target = edited(original, edits)
      const derived = deriveJsonPatch(original, target, '')
      const expected = jsonPatch.compare(original, target)
      const applied = jsonPatch.applyPatch(structuredClone(original), structuredClone(derived) as jsonPatch.Operation[], true, false).newDocument
      return JSON.stringify(derived) === JSON.stringify(expected) && JSON.stringify(applied) === JSON.stringify(target)
    }),
    { seed: 20261202, numRuns: 2000 },
  )
  t.pass('2000 pairs')
})

t.test('paths carry the prefix and escape / and ~ in keys (RFC 6901)', async (t) => {
  const prefix = jsonPointer(['spec', 'template', 'a/b~c'])
  t.equal(prefix, '/spec/template/a~1b~0c')
  t.same(deriveJsonPatch({ 'x/y': 1, keep: true }, { 'x/y': 2, keep: true, 'n~m': [1] }, prefix), [
    { op: 'replace', path: '/spec/template/a~1b~0c/x~1y', value: 2 },
    { op: 'add', path: '/spec/template/a~1b~0c/n~0m', value: [1] },
  ])
})

t.test('a field a mutator set to undefined is removed, and a list slot set to undefined becomes null, as the library does', async (t) => {
  const cases: [object, object, unknown[]][] = [
    [{ a: 1, b: 2 }, { a: 1, b: undefined }, [{ op: 'remove', path: '/b' }]],
    [{ list: [1] }, { list: [undefined] }, [{ op: 'replace', path: '/list/0', value: null }]],
    [{ a: 1 }, { a: 1, b: undefined }, []],
  ]
  for (const [original, target, patch] of cases) {
    t.same(deriveJsonPatch(original, target, ''), patch)
    t.same(jsonPatch.compare(original, target), patch)
  }
})

t.test('subtrees the draft shared with the original yield no operations', async (t) => {
  const shared = { env: [{ name: 'A', value: '1' }] }
  t.same(deriveJsonPatch({ container: shared, image: 'a' }, { container: shared, image: 'b' }, ''), [{ op: 'replace', path: '/image', value: 'b' }])
})

t.test('a field named like an inherited member (constructor, toString) that the edit dropped is removed, not read from the prototype', async (t) => {
  const original = JSON.parse('{"constructor":"x","toString":{"a":1},"hasOwnProperty":null,"keep":1}') as Record<string, unknown>
  const target = { keep: 1 }
  const patch = [
    { op: 'remove', path: '/hasOwnProperty' },
    { op: 'remove', path: '/toString' },
    { op: 'remove', path: '/constructor' },
  ]
  t.same(deriveJsonPatch(original, target, ''), patch)
  t.same(jsonPatch.compare(original, target), patch)
})

t.test('a document replaced by a value of another type is one replace at the prefix', async (t) => {
  t.same(deriveJsonPatch({ a: 1 }, [1], '/spec'), [{ op: 'replace', path: '/spec', value: [1] }])
  t.same(deriveJsonPatch(1, 1, '/spec'), [])
})
