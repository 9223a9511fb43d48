// malicious-packages reads a container's command lines only when one of its texts names an
// installer of an ecosystem the intel lists (the index's mayMatchIn, a cost gate: issue 10 item 7).
// The gate is attacked here: every install the ungated policy refuses must still be refused,
// however the installer's name is spelt, split, expanded or sourced.
import { readFile } from 'node:fs/promises'
import fc from 'fast-check'
import t from 'tap'
import { parse } from 'yaml'
import maliciousPackages from '../../policies/malicious-packages.ts'
import { commandLines, containerTexts } from '../../src/detect/container-text.ts'
import { compilePackageIndex } from '../../src/detect/malicious-packages.ts'
import { ECOSYSTEMS, type Ecosystem, readInstalls } from '../../src/detect/package-installs.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { Policy, PolicySet } from '../../src/engine/types.ts'
import { loadIntel } from '../../src/intel/load.ts'
import { emptyIntel, type PackageEntry } from '../../src/intel/types.ts'
import { policyKit } from '../../src/policy/kit.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { loadTechniques, objectsOf } from '../helpers/detection-corpus.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { defaultPolicies } from '../helpers/server.ts'

/** `evil` at every version in every ecosystem, so any install of it the policy reads is refused. */
const EVERY_ECOSYSTEM: PackageEntry[] = ECOSYSTEMS.map((ecosystem, index) => ({
  ecosystem,
  name: 'evil',
  versions: ['*'],
  id: `TEST-${index}`,
  source: 'Test',
  date: '2026-12',
}))

const defaults = await defaultPolicies()
const shipped = defaults.policies.find((policy) => policy.id === 'malicious-packages') as Policy

/** The policy prepared with `entries` as intel, with the gate, or with an index that always answers "may match". */
function policySet(entries: PackageEntry[], gated: boolean): PolicySet {
  const kit = gated
    ? policyKit
    : {
        ...policyKit,
        packages: {
          ...policyKit.packages,
          compileIndex: (list: readonly PackageEntry[]) => Object.assign(compilePackageIndex(list), { mayMatchIn: () => true }),
        },
      }
  const run = maliciousPackages.prepare({ data: undefined, intel: { ...emptyIntel(), packages: entries }, kit })
  return { ...defaults, policies: [{ ...shipped, check: { ...shipped.check, run } as Policy['check'] }] }
}

const gated = policySet(EVERY_ECOSYSTEM, true)
const ungated = policySet(EVERY_ECOSYSTEM, false)

function messages(set: PolicySet, objects: KubeObject[]): string[] {
  return objects.flatMap((object) => evaluate({ object, related: objects.filter((other) => other !== object) }, set).findings.map((finding) => finding.message))
}

function pod(container: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', ...extra },
    spec: { containers: [{ name: 'c', image: 'python:3.12', ...container }] },
  }
}

t.test('an install spelt to slip past a cheap word test is refused with the gate as without it', async (t) => {
  const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'setup', namespace: 'ns' }, data: { STEP: 'pip install evil==1' } }
  const attacks: [string, KubeObject[]][] = [
    ['installer and package in separate list items', [pod({ command: ['pip'], args: ['install', 'evil==1'] })]],
    ['installer in mixed case', [pod({ command: ['PiP3.11', 'INSTALL', 'evil==1'] })]],
    ['installer by its path, quoted', [pod({ command: ['sh', '-c', `'/usr/local/bin/Pip' install "evil==1"`] })]],
    ['installer after a separator with no space', [pod({ command: ['sh', '-c', 'true;npm i evil@1.0.0'] })]],
    ['installer named by a $(VAR) the kubelet expands', [pod({ env: [{ name: 'P', value: 'pip' }], command: ['$(P)', 'install', 'evil==1'] })]],
    [
      'installer joined from two $(VAR)s',
      [
        pod({
          env: [
            { name: 'A', value: 'pi' },
            { name: 'B', value: 'p' },
          ],
          command: ['$(A)$(B)', 'install', 'evil==1'],
        }),
      ],
    ],
    [
      'installer joined by the shell from two env values',
      [
        pod({
          env: [
            { name: 'A', value: 'ya' },
            { name: 'B', value: 'rn' },
          ],
          command: ['sh', '-c', '$A$B add evil@1.0.0'],
        }),
      ],
    ],
    [
      'installer in a ConfigMap the container takes its env from',
      [pod({ envFrom: [{ configMapRef: { name: 'setup' } }], command: ['sh', '-c', 'eval "$STEP"'] }), configMap],
    ],
    [
      'installer in an annotation an env value reads',
      [
        pod(
          { env: [{ name: 'S', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['setup']" } } }] },
          { annotations: { setup: 'gem install evil -v 1' } },
        ),
      ],
    ],
    ['installer in a postStart hook', [pod({ lifecycle: { postStart: { exec: { command: ['cargo', 'install', 'evil'] } } } })]],
    ['installer in a probe', [pod({ livenessProbe: { exec: { command: ['go', 'run', 'evil@v1.0.0'] } } })]],
  ]
  for (const [name, objects] of attacks) {
    const refused = messages(gated, objects)
    t.same(refused, messages(ungated, objects), name)
    t.equal(refused.length, 1, `${name}: refused`)
  }
  // Not installers to the shell either: the gate and the full read agree that nothing is installed.
  for (const lookAlike of [
    'p\u0130p install evil==1',
    '\uff50\uff49\uff50 install evil==1',
    'pi\u200bp install evil==1',
    'car\u212ago install evil',
    'pi p install evil==1',
  ]) {
    const objects = [pod({ command: ['sh', '-c', lookAlike] })]
    t.same(messages(gated, objects), messages(ungated, objects), lookAlike)
    t.same(messages(gated, objects), [], `${lookAlike}: nothing installed`)
  }
})

/** Every pod and ConfigMap of the corpora in test/corpus. */
async function corpusObjects(): Promise<KubeObject[][]> {
  const cases: KubeObject[][] = []
  for (const technique of await loadTechniques()) for (const entry of [...technique.miners, ...technique.benign]) cases.push(objectsOf(entry))
  for (const file of ['miners.yaml', 'benign.yaml']) {
    const entries = parse(await readFile(new URL(`../corpus/${file}`, import.meta.url), 'utf8')) as { container?: object; pod?: object; configMap?: object }[]
    for (const entry of entries) {
      const metadata = { name: 'case', namespace: 'corpus' }
      cases.push([
        entry.configMap === undefined
          ? { apiVersion: 'v1', kind: 'Pod', metadata, spec: entry.pod ?? { containers: [{ name: 'main', ...entry.container }] } }
          : { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: entry.configMap },
      ])
    }
  }
  return cases
}

const corpus = await corpusObjects()

t.test('over every corpus case the gated policy refuses what the ungated one refuses, with the shipped intel and with every ecosystem listed', async (t) => {
  t.ok(corpus.length > 300, `${corpus.length} cases`)
  const shippedUngated = policySet((await loadIntel(new URL('../../policies/data/intel', import.meta.url).pathname)).packages, false)
  let refused = 0
  for (const objects of corpus) {
    const found = messages(gated, objects)
    refused += found.length
    t.same(found, messages(ungated, objects))
    t.same(messages({ ...defaults, policies: [shipped] }, objects), messages(shippedUngated, objects))
  }
  // The corpora's package cases install `ultralytics`, `@rspack/core` ...: not `evil`, but the
  // shipped intel refuses them, and the line above compares that too.
  t.comment(`${refused} refusals of evil over the corpora`)
})

/** Whether some command line of the container installs a package of one of `ecosystems` (read without any prefilter): what the gate must never hide. */
function installsFrom(container: V1Container, ecosystems: ReadonlySet<string>): boolean {
  return commandLines(containerTexts(container)).some((line) => readInstalls(line.text).some((install) => ecosystems.has(install.ecosystem)))
}

t.test('the gate answers "may match" for every container of the corpora whose command lines install from a listed ecosystem', async (t) => {
  const containers = corpus.flatMap((objects) =>
    objects.flatMap((object) => {
      const spec = (object as { spec?: { containers?: unknown[] } }).spec
      return (spec?.containers ?? []) as V1Container[]
    }),
  )
  let installing = 0
  for (const subset of [ECOSYSTEMS, ['PyPI'], ['npm'], ['Go', 'RubyGems', 'crates.io']] as Ecosystem[][]) {
    const index = compilePackageIndex(EVERY_ECOSYSTEM.filter((entry) => subset.includes(entry.ecosystem as Ecosystem)))
    for (const container of containers) {
      if (!installsFrom(container, new Set(subset))) continue
      installing++
      t.ok(index.mayMatchIn(containerTexts(container)), JSON.stringify(container).slice(0, 120))
    }
  }
  t.ok(installing > 10, `${installing} installing containers`)
})

// Pieces an attacker would join to hide an installer from a word test: names in any case, with
// paths, versions and quotes, separators, look-alike letters, and whatever fast-check makes up.
const piece = fc.oneof(
  fc.constantFrom(
    'pip',
    'PIP',
    'pip3',
    'pip3.12',
    'Python3',
    '-m',
    '-mpip',
    '-I',
    'pipx',
    'uv',
    'npm',
    'NPX',
    'yarn',
    'pnpm',
    'bun',
    'bunx',
    'go',
    'gem',
    'Cargo',
  ),
  fc.constantFrom('install', 'i', 'add', 'get', 'run', 'dlx', 'global', 'tool', 'isntall', 'evil', 'EVIL', 'evil==1', 'evil@1.0.0', '-v', '1'),
  fc.constantFrom(' ', '  ', '/', '/usr/bin/', ';', '&&', '|', '\n', '\t', '"', "'", '`', '(', ')', '<', '>', '-', '_', '.', '=', '$', '$('),
  fc.constantFrom('\u0130', '\u212a', '\u017f', '\u00a0', '\u2028', '\uff50', '\u200b'),
  fc.string({ maxLength: 5 }),
)
// An installer, its subcommand and a package in order, decorated, so that installs are common.
const command = fc
  .tuple(
    fc.constantFrom('', '/usr/local/bin/', 'x', '$(A)', ';', "'"),
    fc.constantFrom(
      'pip',
      'Pip3',
      'pip3.12',
      'pipx',
      'python3 -m pip',
      'python3 -Impip',
      'uv pip',
      'uv tool',
      'uvx',
      'uv run --with',
      'uv',
      'npm',
      'NPM',
      'npx',
      'bunx',
      'yarn',
      'yarn global',
      'pnpm',
      'bun',
      'go',
      'gem',
      'cargo',
    ),
    fc.constantFrom(' ', '\t', ' "', '\n', "' "),
    fc.constantFrom('install', 'INSTALL', 'i', 'add', 'get', 'run', 'dlx', 'isntall', 'inst', 'exec', 'x', ''),
    fc.constantFrom(' ', '  ', ' -U '),
    fc.constantFrom('evil', 'EVIL', 'evil==1', 'evil@1.0.0', 'evil -v 1', 'x/evil@v1'),
  )
  .map((parts) => parts.join(''))
const text = fc.oneof(
  fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join('')),
  command,
  fc.tuple(command, piece).map(([line, split]) => line.replace(' ', split)),
)

t.test('on made-up containers the gate never hides an install from a listed ecosystem', async (t) => {
  const container = fc.record({
    name: fc.constant('c'),
    command: fc.array(text, { maxLength: 4 }),
    args: fc.array(text, { maxLength: 4 }),
    env: fc.array(fc.record({ name: fc.constantFrom('A', 'B', 'C'), value: text }), { maxLength: 4 }),
  })
  const subsets = fc.subarray([...ECOSYSTEMS], { minLength: 1 })
  let installing = 0
  const runs = fuzzRuns(2000)
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(container, subsets, (container, subset) => {
        const index = compilePackageIndex(EVERY_ECOSYSTEM.filter((entry) => subset.includes(entry.ecosystem as Ecosystem)))
        const installs = installsFrom(container, new Set(subset))
        if (installs) installing++
        return !installs || index.mayMatchIn(containerTexts(container))
      }),
      { seed: 20261202, numRuns: runs },
    ),
  )
  // The property means something only if many made-up containers (a tenth at least) do install from a listed ecosystem.
  t.ok(installing > runs / 10, `${installing} of ${runs} install`)
})

t.test('on made-up pods the gated policy refuses exactly what the ungated one refuses', async (t) => {
  const container = fc.record({
    command: fc.array(text, { maxLength: 3 }),
    args: fc.array(text, { maxLength: 3 }),
    env: fc.array(fc.record({ name: fc.constantFrom('A', 'B'), value: text }), { maxLength: 3 }),
  })
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(container, (container) => {
        const objects = [pod(container)]
        const found = messages(gated, objects)
        return JSON.stringify(found) === JSON.stringify(messages(ungated, objects))
      }),
      { seed: 20261203, numRuns: fuzzRuns(1000) },
    ),
  )
})

t.test('an index without entries matches nothing, so it reads no container', async (t) => {
  const index = compilePackageIndex([])
  t.equal(index.mayMatchIn([{ text: 'pip install evil==1' }]), false)
  t.equal(index({ ecosystem: 'PyPI', name: 'evil', version: '1' }), undefined)
})

t.test('an ecosystem without an installer jackstop reads (Maven) adds no word to look for', async (t) => {
  const index = compilePackageIndex([{ ecosystem: 'Maven', name: 'evil', versions: ['*'], id: 'MAL-M', source: 'Test', date: '2026' }])
  t.equal(index.mayMatchIn([{ text: 'pip install evil' }, { text: 'mvn install evil' }]), false)
})

t.test('the gate costs linearly in the text it reads, on version-like runs after an installer name and on near misses', async (t) => {
  const { growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } = await import('../helpers/linear-cost.ts')
  const index = compilePackageIndex(EVERY_ECOSYSTEM)
  const inputs: [string, (size: number) => string][] = [
    ['digits after pip, then a letter', (size) => ` pip${repeatedTo('1', size)}x`],
    ['digits after python3, then a letter', (size) => ` python3${repeatedTo('1', size)}x`],
    ['installer names inside words', (size) => repeatedTo('xpip_npmx gox ', size)],
    ['versioned names inside words', (size) => repeatedTo('xpip3.1 _uv2 ', size)],
  ]
  for (const [name, build] of inputs) {
    t.equal(index.mayMatchIn([{ text: build(1000) }]), false, name)
    const ratio = growthRatio(
      (size) => [{ text: build(size) }],
      (texts) => index.mayMatchIn(texts),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${name}: cost ratio ${ratio.toFixed(1)}`)
  }
})
