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
