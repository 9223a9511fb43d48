// `echo <base64 of "pip install ultralytics==8.3.41"> | base64 -d | sh` installs the compromised
// release as surely as the plain command: malicious-packages reads the payloads a container decodes
// (base64, hex, gzip inside base64, printf escapes, reversed text; src/detect/payloads.ts), the ones
// miner-signals' scanner reads, decoded once per review for both and charged to the budget once.
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import t from 'tap'
import { decodedTexts, namesDecoder, namesDecoderIn, UNHINTED_PAYLOAD } from '../../src/detect/decoded-texts.ts'
import { compilePackageIndex } from '../../src/detect/malicious-packages.ts'
import { MAX_DECODED_CHARACTERS } from '../../src/detect/payloads.ts'
import { ReviewBudget } from '../../src/detect/review-budget.ts'
import { lowerCaseCopy } from '../../src/detect/signals.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { ContainerContext, Policy, PolicySet } from '../../src/engine/types.ts'
import { loadIntel } from '../../src/intel/load.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { containersOf, podSpecsOf } from '../../src/workloads/pod-specs.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { defaultPolicies } from '../helpers/server.ts'

const defaults = await defaultPolicies()
const intel = await loadIntel(new URL('../../policies/data/intel/', import.meta.url).pathname)
const byId = (id: string) => defaults.policies.find((policy) => policy.id === id) as Policy
const packagesOnly: PolicySet = { ...defaults, policies: [byId('malicious-packages')] }

// From the shipped intel (policies/data/intel/packages.yaml): the Ultralytics releases that carried XMRig.
const INSTALL = 'pip install ultralytics==8.3.41'
const REFUSAL = 'installs ultralytics 8.3.41 (PyPI), a known-malicious package version (JACKSTOP-2024-0001; Safety CLI, 2024-12) (malicious-packages)'

const base64 = (text: string) => Buffer.from(text).toString('base64')
const hex = (text: string) => Buffer.from(text).toString('hex')
const escapes = (text: string) => [...Buffer.from(text)].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')

function pod(container: Partial<V1Container>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'setup', namespace: 'shop' },
    spec: { containers: [{ name: 'app', image: 'python:3.12', ...container }] },
  }
}

/** Where each refusal points and what it says. */
function refusals(object: KubeObject, set = packagesOnly): string[] {
  return evaluate({ object }, set).findings.map((finding) => `${finding.path}: ${finding.message}`)
}

t.test('an install hidden in an encoded payload the container decodes and runs is refused', async (t) => {
  const attacks: [string, Partial<V1Container>, string][] = [
    ['base64 piped to a shell', { command: ['sh', '-c', `echo ${base64(INSTALL)} | base64 -d | sh`] }, 'command[2] (base64-decoded)'],
    ['hex through xxd', { command: ['sh', '-c', `echo ${hex(INSTALL)} | xxd -r -p | sh`] }, 'command[2] (hex-decoded)'],
    [
      'gzip inside base64',
      { command: ['sh', '-c', `echo ${gzipSync(INSTALL).toString('base64')} | base64 -d | gunzip | sh`] },
      'command[2] (base64+gzip-decoded)',
    ],
    ['printf escapes', { command: ['sh', '-c', `printf '${escapes(INSTALL)}' | sh`] }, 'command[2] (printf escapes-decoded)'],
    ['reversed text', { command: ['sh', '-c', `echo '${[...INSTALL].reverse().join('')}' | rev | sh`] }, 'command[2] (reversed-decoded)'],
    [
      'the blob in an env value, the decoder in the args',
      { env: [{ name: 'STEP', value: base64(INSTALL) }], command: ['sh', '-c'], args: ['echo $STEP | base64 -d | sh'] },
      'env[0].value (base64-decoded)',
    ],
    [
      'a long blob with no decoder named anywhere',
      { env: [{ name: 'STEP', value: base64(`${INSTALL} --quiet --no-cache-dir`) }], command: ['/entrypoint'] },
      'env[0].value (base64-decoded)',
    ],
  ]
  for (const [name, container, field] of attacks) {
    t.same(refusals(pod(container)), [`spec.containers[0].${field}: spec.containers[0] "app": ${REFUSAL}`], name)
  }
})

t.test('a decoded payload that installs nothing listed is admitted', async (t) => {
  for (const script of ['pip install requests==2.32.3', 'echo hello from a base64 payload', 'pip install ultralytics==8.3.40']) {
    t.same(refusals(pod({ command: ['sh', '-c', `echo ${base64(script)} | base64 -d | sh`] })), [], script)
  }
})

/** Runs the given policies on the pod's first container in one review; the budget spent. */
function spentBy(policies: Policy[], object: KubeObject): { spent: number; messages: string[] } {
  const budget = new ReviewBudget()
  const subject = podSpecsOf(object)[0] as ContainerContext['pod']
  const container = containersOf(subject)[0] as ContainerContext['container']
  const context: ContainerContext = { namespace: 'shop', pod: subject, budget, container }
  const messages: string[] = []
  for (const policy of policies) {
    const check = policy.check as Extract<Policy['check'], { mode: 'validate'; target: 'container' }>
    for (const violation of check.run(container.container, context)) messages.push(violation.message)
  }
  return { spent: budget.spent, messages }
}

t.test('payloads are decoded once per review for both policies and charged once', async (t) => {
  const object = pod({ command: ['sh', '-c', `echo ${base64(INSTALL)} | base64 -d | sh`] })
  const signals = byId('miner-signals')
  const packages = byId('malicious-packages')
  const alone = spentBy([signals], object).spent
  const both = spentBy([packages, signals], object)
  // The scanner charges the texts and the decoded payload; malicious-packages, first by file name, decodes it and charges nothing more.
  t.equal(both.spent, alone)
  t.equal(spentBy([signals, packages], object).spent, alone)
  t.ok(spentBy([packages], object).spent > 0, 'alone, malicious-packages charges what it decodes')
  t.match(both.messages, [/^installs ultralytics 8\.3\.41 /, /^crypto-miner signals scored .*decod/])
})

t.test('a hostile payload costs in proportion to its size: the decode allowance caps what is decoded, the budget what is read', async (t) => {
  const packages = byId('malicious-packages')
  // Many blobs, each decoding to an install of something unlisted, after a decoder's name.
  const blob = base64('pip install requests==2.32.3 ')
  const hostile = (count: number) => pod({ command: ['sh', '-c', `echo ${Array.from({ length: count }, () => blob).join(' ')} | base64 -d | sh`] })
  const small = spentBy([packages], hostile(2000)).spent
  const large = spentBy([packages], hostile(4000)).spent
  t.ok(small > 0 && large <= 2 * small, `decoded characters charged grow at most linearly: ${small} -> ${large}`)
  // Past the allowance nothing more is decoded: a payload 8 times larger charges no more than the allowance.
  const huge = spentBy([packages], hostile(32000)).spent
  t.ok(huge <= MAX_DECODED_CHARACTERS + 32000, `at most the decode allowance is decoded: ${huge}`)
  // And a payload past the review budget refuses the object, whichever policy reads it first.
  const tight = new ReviewBudget(1000)
  const subject = podSpecsOf(hostile(200))[0] as ContainerContext['pod']
  const container = containersOf(subject)[0] as ContainerContext['container']
  const check = packages.check as Extract<Policy['check'], { mode: 'validate'; target: 'container' }>
  t.throws(() => check.run(container.container, { namespace: 'shop', pod: subject, budget: tight, container }), { code: 'JACKSTOP_ERR_UNREVIEWABLE' })
})

t.test('the gate sends a container to its payloads whenever the scanner would decode one, and to its lines whenever mayMatchIn does', async (t) => {
  const index = compilePackageIndex(intel.packages)
  // Words of decoder names and installers cut up, in any case, beside runs of their letters and non-ASCII look-alikes.
  const fragment = fc.oneof(
    fc.constantFrom('base64', 'BaSe32', 'b64decode', 'xxd', 'xx', 'XXD', 'rev', 'REV', 'rev_', '-rev-', 'printf', 'pack(', 'PACK(', 'unhexlify'),
    fc.constantFrom('fromhex', 'openssl', 'OpenSSL', 'pip', 'PIP3', 'npm', 'go', 'gem', 'x', 'd', 'v', ' ', '\n', '-', '/', '\u0130', '\u212a', 'é'),
    fc.string({ maxLength: 6 }),
  )
  const text = fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join(''))
  fc.assert(
    fc.property(fc.array(text, { maxLength: 4 }), (texts) => {
      const items = texts.map((each) => ({ field: 'args[0]', text: each }))
      const look = index.placesToLook(items)
      t.equal(look.lines, index.mayMatchIn(items))
      const decodable = texts.some((each) => each.length >= UNHINTED_PAYLOAD || namesDecoder(each, undefined))
      t.equal(look.payloads, decodable)
      if (decodedTexts(items, new ReviewBudget()).length > 0) t.ok(look.payloads)
    }),
    { seed: 20261202, numRuns: fuzzRuns(2000) },
  )
  // The per-text decoder test answers as the scanner's test on the joined texts, long texts included.
  fc.assert(
    fc.property(
      fc.array(
        fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')),
        { maxLength: 4 },
      ),
      (texts) => {
        const joined = texts.map((each) => `${each}\n`).join('')
        t.equal(namesDecoderIn(texts.map((each) => ({ field: 'args[0]', text: each }))), namesDecoder(joined, lowerCaseCopy(joined)))
      },
    ),
    { seed: 20261203, numRuns: fuzzRuns(2000) },
  )
  t.same(
    compilePackageIndex([]).placesToLook([{ text: `echo ${base64(INSTALL)} | base64 -d | sh` }]),
    { lines: false, payloads: false },
    'nothing listed: nothing to read',
  )
})

t.test('a policy that edited its copy of the texts has its own list decoded; no texts, no payloads', async (t) => {
  const budget = new ReviewBudget()
  const texts = [
    { field: 'args[0]', text: 'echo $A | base64 -d | sh' },
    { field: 'env[0].value', text: base64(INSTALL) },
  ]
  const first = decodedTexts(texts, budget)
  t.same(first, [{ field: 'env[0].value (base64-decoded)', text: INSTALL }])
  t.equal(decodedTexts(texts.slice(), budget), first, 'the same texts in another list: decoded once')
  const spent = budget.spent
  const edited = [
    texts[0] as (typeof texts)[number],
    { field: 'env[0].value', text: base64('pip install requests==2.32.3') },
    texts[1] as (typeof texts)[number],
  ]
  t.same(
    decodedTexts(edited, budget).map(({ text }) => text),
    ['pip install requests==2.32.3', INSTALL],
  )
  t.ok(budget.spent > spent, 'and charged for what it decoded')
  const sameLast = [{ field: 'args[0]', text: 'echo $A | sh' }, texts[1] as (typeof texts)[number]]
  t.same(decodedTexts(sameLast, budget), [], 'no decoder named and no long text in the edited list: nothing decoded')
  t.same(decodedTexts([], budget), [])
})
