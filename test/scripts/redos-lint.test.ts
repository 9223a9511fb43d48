// The ReDoS lint must catch the patterns that backtrack exponentially or polynomially, find
// every pattern in a source file, and see the ones built at run time from policy data.
import t from 'tap'
import { hasRepetition, lint, patternsBuiltWhile, patternsInSource, redosReason } from '../../scripts/redos-lint.ts'

t.test('nested and overlapping quantifiers are reported as super-linear', async (t) => {
  // Patterns whose analysis is quick; `(a|aa)+$` is as bad but takes the analyser a minute.
  for (const source of ['(a+)+$', '^[^:@\\s]+/[^:@\\s]+$', 'x(\\d*)*y']) {
    t.match(redosReason({ source, flags: '' }), /ways to backtrack/, source)
  }
})

t.test('patterns with a single way to match pass', async (t) => {
  for (const source of ['^[a-z0-9][a-z0-9._-]*$', 'chmod\\s+[0-7]{3,4}\\s+/tmp/', '^[^:@\\s/]+(?:/[^:@\\s/]+)+$']) {
    t.equal(redosReason({ source, flags: 'i' }), undefined, source)
  }
})

t.test(
  'a pattern without repetition passes without analysis (its work per attempt is bounded by its own text); a counted repetition is analysed',
  async (t) => {
    const cases: [string, boolean][] = [
      ['a+', true],
      ['b*', true],
      ['c{2,}', true],
      ['(?:xmrig|xmrig[-_.]?proxy|xmr[-_.]?stak)', false],
      ['x{2,5}', true],
      ['x{3}', true],
      ['[*+{]\\*\\+x\\{2,5\\}', false],
    ]
    t.same(
      cases.map(([source]) => [source, hasRepetition(source)]),
      cases,
    )
    t.not(redosReason({ source: '(a|a){1,30}$', flags: '' }), undefined, 'bounded, but by 2^30 paths')
    t.equal(redosReason({ source: `(?:^|-)(${['ab', 'a', 'abc', 'ab-c', 'a-bc'].join('|')})(?=$|-)`, flags: 'i' }), undefined)
  },
)

t.test('regex literals and constant RegExp sources are found with their line; dynamic sources are left to the run-time capture', async (t) => {
  const source = [
    'const a = /(x+)+y/gi',
    "const b = new RegExp('^ok$', 'm')",
    'const c = RegExp(`t+`)',
    'const d = new RegExp(words.join("|"))',
    'const e = new RegExp',
    "const f = new RegExp('^y$', flags)",
  ].join('\n')
  t.same(patternsInSource('example.ts', source), [
    { where: 'example.ts:1', source: '(x+)+y', flags: 'gi' },
    { where: 'example.ts:2', source: '^ok$', flags: 'm' },
    { where: 'example.ts:3', source: 't+', flags: '' },
    { where: 'example.ts:6', source: '^y$', flags: '' },
  ])
})

t.test('patterns built while policies load are captured, and RegExp is restored afterwards', async (t) => {
  const original = RegExp
  const words = ['xmrig', 'xmr-stak']
  const built = await patternsBuiltWhile(async () => new RegExp(`(?:${words.join('|')})+$`, 'i'))
  t.same(
    built.map(({ source, flags }) => ({ source, flags })),
    [{ source: '(?:xmrig|xmr-stak)+$', flags: 'i' }],
  )
  t.match(built[0]?.where, /^built /)
  t.equal(globalThis.RegExp, original)
})

t.test('the lint fails a bad pattern once, however often it appears', async (t) => {
  const bad = { where: 'src/x.ts:1', source: '(a+)+$', flags: '' }
  const verdicts = lint([bad, { ...bad, where: 'src/y.ts:9' }, { where: 'src/z.ts:2', source: '^a$', flags: '' }])
  t.same(
    verdicts.map(({ where, unproven }) => ({ where, unproven })),
    [{ where: 'src/x.ts:1', unproven: undefined }],
  )
})

t.test('a pattern the analyser cannot finish fails when written in source, and is only reported when built from data', async (t) => {
  const pattern = { source: '(?:alpha|beta|gamma)+[a-z]*', flags: 'mus' }
  const verdicts = lint(
    [
      { where: 'src/x.ts:1', ...pattern },
      { where: 'built at tokenMatcher', ...pattern, flags: 'v' },
    ],
    new Map(),
    5,
  )
  t.same(
    verdicts.map(({ where, reason, unproven }) => ({ where, reason, unproven })),
    [
      { where: 'src/x.ts:1', reason: 'analysis did not finish within its step limit', unproven: undefined },
      { where: 'built at tokenMatcher', reason: 'analysis did not finish within its step limit', unproven: true },
    ],
  )
})
