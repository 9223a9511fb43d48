// A container's texts are read once per review and every policy gets its own copy; given the
// policy's context, the command lines joined from them (command and args, hooks, probes) are built
// once per container per review, whichever policy or walk asks first (issue 10, item 7), and never
// carried into another review.
import t from 'tap'
import { ReviewBudget } from '../../src/detect/review-budget.ts'
import type { PodContext } from '../../src/engine/types.ts'
import { policyKit } from '../../src/policy/kit.ts'
import type { V1Container } from '../../src/workloads/kubernetes.ts'
import { podSpecsOf } from '../../src/workloads/pod-specs.ts'

const container: V1Container = {
  name: 'app',
  image: 'python:3.12',
  command: ['sh', '-c'],
  args: ['pip install requests==2.32.3 && exec python app.py'],
  env: [{ name: 'MODE', value: 'serve' }],
  livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] } },
}

function reviewOf(budget = new ReviewBudget()): PodContext {
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [container] } }
  const pod = podSpecsOf(object)[0] as PodContext['pod']
  return { namespace: 'shop', pod, budget }
}

const { containerTexts, commandLines, readCommandLines } = policyKit.signals

/** The lines a walk hands to its reader, in order. */
function walked(texts: readonly { field: string; text: string }[], review: PodContext) {
  const lines: { field: string; text: string }[] = []
  readCommandLines(
    texts,
    (line) => {
      lines.push(line)
      return false
    },
    review,
  )
  return lines
}

t.test('two policies of one review read the same joined command lines: each is built once', async (t) => {
  const review = reviewOf()
  const first = walked(containerTexts(container, review), review)
  const second = commandLines(containerTexts(container, review), review)
  t.same(
    second.map(({ field, text }) => `${field}: ${text}`),
    ['env[0].value: serve', 'command[0]: sh -c pip install requests==2.32.3 && exec python app.py', 'livenessProbe.exec.command[0]: cat /tmp/healthy'],
  )
  t.equal(second[1], first[1], 'command and args joined once')
  t.equal(second[2], first[2], 'the probe joined once')
  t.equal(commandLines(containerTexts(container, review), review)[1], first[1], 'and once for a third read')
})

t.test('another review builds its own lines: nothing is carried across reviews', async (t) => {
  const [a, b] = [reviewOf(), reviewOf()]
  const one = commandLines(containerTexts(container, a), a)
  const other = commandLines(containerTexts(container, b), b)
  t.not(other[1], one[1])
  t.equal(other[1]?.text, one[1]?.text)
})

t.test('a policy that edits its copy of the texts reads its own lines, and the next policy the review’s', async (t) => {
  const review = reviewOf()
  const before = commandLines(containerTexts(container, review), review)
  const edited = containerTexts(container, review)
  // Swap `sh` and `-c`: the same items in another order make another line.
  const [sh, dashC] = [edited[1], edited[2]] as [never, never]
  edited[1] = dashC
  edited[2] = sh
  t.equal(commandLines(edited, review)[1]?.text, '-c sh pip install requests==2.32.3 && exec python app.py')
  // Swap `-c` and the script: the line starts with the same item but joins others.
  const reordered = containerTexts(container, review)
  ;[reordered[2], reordered[3]] = [reordered[3] as never, reordered[2] as never]
  t.equal(commandLines(reordered, review)[1]?.text, 'sh pip install requests==2.32.3 && exec python app.py -c')
  // Drop the script: fewer items from the same first one.
  t.equal(commandLines(reordered.slice(0, 3), review)[1]?.text, 'sh pip install requests==2.32.3 && exec python app.py')
  edited.length = 2
  t.same(
    commandLines(edited, review).map(({ text }) => text),
    ['serve', '-c'],
  )
  const after = commandLines(containerTexts(container, review), review)
  t.equal(after[1]?.text, 'sh -c pip install requests==2.32.3 && exec python app.py')
  t.same(
    after.map(({ text }) => text),
    before.map(({ text }) => text),
  )
})

t.test('lines asked for without the review (no context) are made afresh every time', async (t) => {
  const review = reviewOf()
  const texts = containerTexts(container, review)
  t.not(commandLines(texts)[1], commandLines(texts)[1])
  t.equal(commandLines(texts)[1]?.text, 'sh -c pip install requests==2.32.3 && exec python app.py')
})

t.test('a list cut so that its last text is a joined line’s first reads its own payloads and lines', async (t) => {
  const review = reviewOf()
  const texts = containerTexts(container, review)
  const [line] = commandLines(texts, review).slice(1)
  // `sh` keeps the joined command line; a list ending at `sh` asks for its payloads under the same text.
  t.same(policyKit.signals.decodedTexts(texts.slice(0, 2), review), [])
  const cut = reviewOf()
  const short = containerTexts(container, cut).slice(0, 2)
  t.same(policyKit.signals.decodedTexts(short, cut), [])
  t.equal(commandLines(containerTexts(container, cut), cut)[1]?.text, line?.text)
})
