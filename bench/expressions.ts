// What one pass of each detection expression costs over the mixed corpus: every regular expression
// the default policies build with `new RegExp` while loading (the scanner's word lists, flags,
// wallets, ports, package and decoder gates), run alone over each review's container texts joined
// as the scanner joins them, fastest of 15 batches. Gates keep some from running on a given text;
// a review still pays a dozen such passes, which bounds how cheap detection can get
// (docs/performance.md, "Third pass").
//   node bench/expressions.ts [TOP]
import { containerTexts } from '../src/detect/container-text.ts'
import type { V1Container } from '../src/workloads/kubernetes.ts'
import { mixedCorpus } from './corpus.ts'

const built: RegExp[] = []
const NativeRegExp = RegExp
// Record each expression as the policies compile it; literals in the code are not recorded.
globalThis.RegExp = new Proxy(NativeRegExp, {
  construct(target, args: [string | RegExp, string?]) {
    const expression = new target(...args)
    built.push(expression)
    return expression
  },
})
const { loadPolicySet } = await import('../src/policy/load.ts')
await loadPolicySet(new URL('../policies/', import.meta.url).pathname)
globalThis.RegExp = NativeRegExp

// Each review's texts, newline-joined, in their case and lower-cased (the scanner runs its lower-case expressions on the copy).
const reviews = mixedCorpus().map(({ object }) => {
  const spec = object.spec as { containers: V1Container[]; initContainers?: V1Container[] }
  let joined = ''
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) for (const { text } of containerTexts(container)) joined += `${text}\n`
  return { text: joined, lower: joined.toLowerCase() }
})
const meanCharacters = reviews.reduce((sum, { text }) => sum + text.length, 0) / reviews.length

function microsPerReview(expression: RegExp): number {
  const caseBlind = expression.flags.includes('i')
  const texts = reviews.map((review) => (caseBlind ? review.text : review.lower))
  const pass = (text: string) => {
    expression.lastIndex = 0
    if (!expression.global && !expression.sticky) return void expression.test(text)
    while (expression.exec(text) !== null);
  }
  let fastest = Number.POSITIVE_INFINITY
  for (let batch = 0; batch < 15; batch++) {
    const start = process.hrtime.bigint()
    for (let repeat = 0; repeat < 20; repeat++) for (const text of texts) pass(text)
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1000 / (20 * texts.length))
  }
  return fastest
}

const distinct = new Map<string, RegExp>()
for (const expression of built) distinct.set(`${expression.source}/${expression.flags}`, expression)
const rows = [...distinct.values()].map((expression) => ({ expression, micros: microsPerReview(expression) }))
rows.sort((a, b) => b.micros - a.micros)
const top = Number(process.argv[2] ?? 15)
process.stdout.write(`one pass per expression over a review's joined texts (mean ${meanCharacters.toFixed(0)} characters), µs per review, fastest batch\n`)
for (const { expression, micros } of rows.slice(0, top)) {
  process.stdout.write(
    `${micros.toFixed(2).padStart(7)}  /${expression.source.slice(0, 100)}${expression.source.length > 100 ? '…' : ''}/${expression.flags}\n`,
  )
}
