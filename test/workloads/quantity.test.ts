import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import { canonicalQuantity, compareQuantities, isQuantity, parseQuantity } from '../../src/workloads/quantity.ts'

function q(text: string) {
  const quantity = parseQuantity(text)
  if (quantity === undefined) throw new Error(`${text} is not a quantity`)
  return quantity
}

t.test('quantities compare as Kubernetes compares them', async (t) => {
  const equal: [string, string][] = [
    ['500m', '0.5'],
    ['1', '1000m'],
    ['2Gi', '2048Mi'],
    ['1e3', '1k'],
    ['1.5Gi', '1536Mi'],
    ['100Ki', '102400'],
    ['512M', '512000k'],
    ['0.1', '100m'],
  ]
  for (const [a, b] of equal) t.equal(compareQuantities(q(a), q(b)), 0, `${a} = ${b}`)
  const less: [string, string][] = [
    ['999m', '1'],
    ['1Gi', '1.1G'],
    ['512Mi', '537M'],
    ['1n', '1u'],
  ]
  for (const [a, b] of less) {
    t.equal(compareQuantities(q(a), q(b)), -1, `${a} < ${b}`)
    t.equal(compareQuantities(q(b), q(a)), 1, `${b} > ${a}`)
  }
})

t.test('new values are written in canonical form', async (t) => {
  const canonical: [string | number, string][] = [
    ['0.5', '500m'],
    ['.5', '500m'],
    ['2000m', '2'],
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['1.5Ki', '1536'],
    ['100Ki', '100Ki'],
    ['512M', '512M'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['12e-1', '1200e-3'],
    ['1.5k', '1500'],
    ['0.001', '1m'],
    ['0.0000000001', '1n'],
    ['0', '0'],
    ['-2', '-2'],
    [3, '3'],
  ]
  for (const [input, expected] of canonical) t.equal(canonicalQuantity(input), expected, String(input))
})

t.test('values beyond the largest suffix survive a round trip', async (t) => {
  for (const text of ['1e40', '3.5e27', '12345678901234567890123Ki']) t.equal(compareQuantities(q(canonicalQuantity(text) as string), q(text)), 0, text)
})

t.test('text that is not a quantity is refused', async (t) => {
  for (const bad of ['', 'abc', '1.2.3', '5 Gi', 'Gi', '1gi', '1KB', '--1']) {
    t.equal(parseQuantity(bad), undefined, JSON.stringify(bad))
    t.equal(isQuantity(bad), false)
    t.equal(canonicalQuantity(bad), undefined)
  }
  t.equal(isQuantity('10m'), true)
  t.equal(isQuantity(undefined), false)
})

// Digits with one suffix are read without the pattern; a leading space always takes the pattern (it trims).
t.test('digits with a suffix read the same on the quick path as through the pattern, and nothing else is read differently', async (t) => {
  const suffix = fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e3', 'mm', 'Mii', 'K', 'i', ' ', '.')
  const simple = fc.tuple(fc.stringMatching(/^[0-9]{1,18}$/), suffix).map(([digits, unit]) => `${digits}${unit}`)
  const anything = fc.string({ unit: fc.constantFrom(...'0123456789.+-eEmkMGTPKi n'.split('')), maxLength: 20 })
  fc.assert(
    fc.property(fc.oneof(simple, anything), (text) => isDeepStrictEqual(parseQuantity(text), parseQuantity(` ${text}`))),
    { seed: 20261202, numRuns: 3000 },
  )
  t.pass('3000 texts')
  t.same(parseQuantity('999999999999999Mi'), parseQuantity(' 999999999999999Mi'), 'fifteen digits, the most the quick path reads')
  t.same(parseQuantity('1234567890123456789'), { nano: 1234567890123456789000000000n, format: 'DecimalSI' }, 'longer numbers stay exact')
})
