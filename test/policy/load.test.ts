import { relative } from 'node:path'
import t, { type Test } from 'tap'
import { loadPolicySet } from '../../src/policy/load.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

const privileged = `id: privileged
description: no privileged containers
severity: critical
action: deny
target: container
message: privileged
schema:
  properties:
    securityContext:
      properties:
        privileged: { not: { const: true } }
`

async function loadError(files: Record<string, unknown>, t: Test): Promise<{ code: string; message: string }> {
  const dir = t.testdir(files as Parameters<typeof t.testdir>[0])
  try {
    await loadPolicySet(dir)
  } catch (error) {
    const { code, message } = error as { code: string; message: string }
    return { code, message: message.replaceAll(`${relative(process.cwd(), dir)}/`, '') }
  }
  throw new Error('expected the set to be refused')
}

t.test('the default policies load with their ids, actions and targets', async (t) => {
  const set = await loadPolicySet(DEFAULT_POLICIES)
  t.same(
    set.policies.map(({ id, action, severity, check }) => ({ id, action, severity, mode: check.mode, target: check.target })),
    [
      { id: 'dangerous-capabilities', action: 'deny', severity: 'high', mode: 'validate', target: 'container' },
      { id: 'drop-capabilities', action: 'warn', severity: 'medium', mode: 'mutate', target: 'container' },
      { id: 'host-namespaces', action: 'deny', severity: 'high', mode: 'validate', target: 'pod' },
      { id: 'host-path-escapes', action: 'deny', severity: 'critical', mode: 'validate', target: 'pod' },
      { id: 'malicious-packages', action: 'deny', severity: 'critical', mode: 'validate', target: 'container' },
      { id: 'miner-configmaps', action: 'deny', severity: 'high', mode: 'validate', target: 'configmap' },
      { id: 'miner-images', action: 'deny', severity: 'critical', mode: 'validate', target: 'container' },
      { id: 'miner-signals', action: 'deny', severity: 'critical', mode: 'validate', target: 'container' },
      { id: 'no-privilege-escalation', action: 'warn', severity: 'medium', mode: 'mutate', target: 'container' },
      { id: 'pod-security-baseline', action: 'deny', severity: 'high', mode: 'validate', target: 'pod' },
      { id: 'privileged', action: 'deny', severity: 'critical', mode: 'validate', target: 'container' },
      { id: 'resource-limits', action: 'warn', severity: 'medium', mode: 'mutate', target: 'container' },
      { id: 'untrusted-requesters', action: 'deny', severity: 'critical', mode: 'validate', target: 'pod' },
    ],
  )
})

t.test('a wrong action is reported with the file and the field', async (t) => {
  const error = await loadError({ 'privileged.yaml': privileged.replace('action: deny', 'action: block') }, t)
  t.same(error, { code: 'JACKSTOP_ERR_POLICY_LOAD', message: 'privileged.yaml: /action must be one of deny, warn, audit' })
})

t.test('an unknown field is reported, so a typo cannot silently weaken a policy', async (t) => {
  const error = await loadError({ 'privileged.yaml': privileged.replace('target: container', 'target: container\nexempts: {}') }, t)
  t.equal(error.message, 'privileged.yaml: / has unknown field "exempts"')
})

t.test('a missing field is reported', async (t) => {
  const error = await loadError({ 'privileged.yaml': privileged.replace('message: privileged\n', '') }, t)
  t.equal(error.message, "privileged.yaml: / must have required property 'message'")
})

t.test('invalid YAML is reported with its line', async (t) => {
  const error = await loadError({ 'privileged.yaml': 'id: x\nmessage: "a\nb: c' }, t)
  t.match(error.message, /^privileged\.yaml: not valid YAML: .* at line 3, column 5:$/)
})

t.test('a schema that does not compile is reported', async (t) => {
  const error = await loadError({ 'privileged.yaml': privileged.replace('not: { const: true }', 'nott: { const: true }') }, t)
  t.match(error.message, /^privileged\.yaml: \/schema does not compile: strict mode: unknown keyword: "nott"/)
})

t.test('two policies with the same id are refused', async (t) => {
  const error = await loadError({ 'a.yaml': privileged, 'b.yaml': privileged }, t)
  t.match(error.message, /^b\.yaml: \/id "privileged" is already used by .*a\.yaml$/)
})

t.test('every broken file is reported at once', async (t) => {
  const error = await loadError({ 'a.yaml': privileged.replace('severity: critical', 'severity: huge'), 'b.yaml': 'just text' }, t)
  t.equal(error.message, 'a.yaml: /severity must be one of low, medium, high, critical\nb.yaml: / must be object')
})

t.test('an empty or missing policies directory is refused: it would admit everything', async (t) => {
  t.match(await loadError({ 'README.md': 'notes' }, t), { message: /no policy files found/ })
  await t.rejects(loadPolicySet('/nonexistent/jackstop-policies'), {
    code: 'JACKSTOP_ERR_POLICY_LOAD',
    message: "/nonexistent/jackstop-policies: cannot read the policies directory: ENOENT: no such file or directory, scandir '/nonexistent/jackstop-policies'",
  })
})

t.test('ConfigMap mount artefacts (dotfiles, ..data) are skipped', async (t) => {
  const dir = t.testdir({ 'privileged.yaml': privileged, '..data': {}, '.hidden.yaml': 'broken: [' })
  t.equal((await loadPolicySet(dir)).policies.length, 1)
})

const functionPolicy = (body: string) => `export default {
  id: 'fn', description: 'a function policy', severity: 'low', action: 'warn', target: 'container', mode: 'validate',
  ${body}
}`

t.test('TypeScript/JS policies: problems in the export, the data file and prepare are reported', async (t) => {
  t.equal((await loadError({ 'fn.mjs': 'export const x = 1' }, t)).message, 'fn.mjs: default export: / must be object')
  t.equal((await loadError({ 'fn.mjs': functionPolicy('prepare: 3,') }, t)).message, 'fn.mjs: default export: /prepare must be a function')
  t.equal((await loadError({ 'fn.mjs': functionPolicy('prepare: () => 3,') }, t)).message, 'fn.mjs: prepare() must return a function')
  t.equal((await loadError({ 'fn.mjs': functionPolicy("prepare: () => { throw new Error('no words') },") }, t)).message, 'fn.mjs: prepare() failed: no words')
  t.equal(
    (await loadError({ 'fn.mjs': functionPolicy("data: 'words.yaml', prepare: () => () => [],") }, t)).message,
    'fn.mjs: data file words.yaml: file not found',
  )
  t.match(
    (await loadError({ 'fn.mjs': functionPolicy("data: 'words.yaml', prepare: () => () => [],"), data: { 'words.yaml': 'a: [' } }, t)).message,
    /^fn\.mjs: data file words\.yaml: not valid YAML/,
  )
  t.equal(
    (
      await loadError(
        {
          'fn.mjs': functionPolicy("data: 'words.yaml', dataSchema: { type: 'object', required: ['words'] }, prepare: () => () => [],"),
          data: { 'words.yaml': 'other: 1' },
        },
        t,
      )
    ).message,
    "fn.mjs: data file words.yaml: / must have required property 'words'",
  )
  t.equal(
    (
      await loadError(
        {
          'fn.mjs': functionPolicy('prepare: () => () => [],')
            .replace("mode: 'validate'", "mode: 'mutate'")
            .replace("target: 'container'", "target: 'configmap'"),
        },
        t,
      )
    ).message,
    'fn.mjs: default export: /target of a mutation must be pod or container',
  )
  t.match((await loadError({ 'fn.mjs': 'export default {' }, t)).message, /^fn\.mjs: cannot load: /)
})

t.test('a function policy gets its data file and the kit at load', async (t) => {
  const dir = t.testdir({
    'fn.mjs': functionPolicy(`data: 'words.yaml', prepare: ({ data, kit }) => {
      const match = kit.tokenMatcher(data.words)
      return (container) => match(container.image) ? [{ field: 'image', message: 'matched ' + match(container.image) }] : []
    },`),
    data: { 'words.yaml': 'words: [evil]' },
  })
  const set = await loadPolicySet(dir)
  const policy = set.policies[0]
  t.equal(policy?.id, 'fn')
  if (policy?.check.mode !== 'validate' || policy.check.target !== 'container') throw new Error('wrong check')
  const run = policy.check.run as (container: { name: string; image: string }) => unknown
  t.same(run({ name: 'a', image: 'docker.io/evil/thing' }), [{ field: 'image', message: 'matched evil' }])
  t.same(run({ name: 'a', image: 'docker.io/medieval/thing' }), [])
})

t.test('schema violations name array items and whole-target problems', async (t) => {
  const dir = t.testdir({
    'ports.yaml': `id: no-mining-ports
description: no well-known mining ports
severity: low
action: warn
target: container
message: uses a mining port
schema:
  properties:
    ports:
      items:
        properties:
          containerPort: { not: { enum: [3333, 14444] } }
`,
    'context.yaml': `id: needs-context
description: every container sets a securityContext
severity: low
action: warn
target: container
message: sets no securityContext
schema:
  required: [securityContext]
`,
  })
  const set = await loadPolicySet(dir)
  const results = set.policies.map((policy) => {
    if (policy.check.mode !== 'validate' || policy.check.target !== 'container') throw new Error('wrong check')
    const run = policy.check.run as (container: unknown) => unknown
    return run({ name: 'm', image: 'a', ports: [{ containerPort: 80 }, { containerPort: 3333 }] })
  })
  t.same(results, [[{ message: 'sets no securityContext' }], [{ field: 'ports[1].containerPort', message: 'ports[1].containerPort: uses a mining port' }]])
})

t.test('a data file that cannot be read is reported with the reason', async (t) => {
  const error = await loadError({ 'fn.mjs': functionPolicy("data: 'words.yaml', prepare: () => () => [],"), data: { 'words.yaml': {} } }, t)
  t.equal(error.message, 'fn.mjs: data file words.yaml: EISDIR: illegal operation on a directory, read')
})

t.test('a policies directory mounted from a ConfigMap (files are symlinks into ..data) loads', async (t) => {
  const dir = t.testdir({
    '..2026_11_24_10_00_00.000000001': {
      'privileged.yaml': privileged,
      'fn.mjs': functionPolicy("data: 'words.yaml', prepare: ({ data }) => () => data.words.map((word) => ({ message: word })),"),
      data: { 'words.yaml': 'words: [from-data]' },
    },
    '..data': t.fixture('symlink', '..2026_11_24_10_00_00.000000001'),
    'privileged.yaml': t.fixture('symlink', '..data/privileged.yaml'),
    'fn.mjs': t.fixture('symlink', '..data/fn.mjs'),
    data: t.fixture('symlink', '..data/data'),
    'dangling.yaml': t.fixture('symlink', '..data/gone.yaml'),
  })
  const set = await loadPolicySet(dir)
  t.same(
    set.policies.map((policy) => policy.id),
    ['fn', 'privileged'],
  )
})

t.test('a YAML policy keeps the remediation it names; without one it has none', async (t) => {
  const dir = t.testdir({ 'privileged.yaml': `${privileged}remediate: quarantine\n`, 'plain.yaml': privileged.replace('id: privileged', 'id: plain') })
  const set = await loadPolicySet(dir)
  t.same(
    set.policies.map(({ id, remediate }) => ({ id, remediate })),
    [
      { id: 'plain', remediate: undefined },
      { id: 'privileged', remediate: 'quarantine' },
    ],
  )
})
