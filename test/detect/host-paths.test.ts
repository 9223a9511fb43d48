import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import t from 'tap'
import { parse } from 'yaml'
import { compileHostPathRules, type HostPathRules } from '../../src/detect/host-paths.ts'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

const shipped = (parse(readFileSync(`${DEFAULT_POLICIES}data/host-escapes.yaml`, 'utf8')) as { hostPaths: HostPathRules }).hostPaths
const rules = compileHostPathRules(shipped)

// Components an attacker would build a path from: real directories, pids, and the tricks.
const component = fc.constantFrom(
  'proc',
  '1',
  'self',
  'root',
  'cwd',
  'var',
  'run',
  'lib',
  'docker.sock',
  'etc',
  'kubernetes',
  'sys',
  'log',
  'user',
  '1000',
  'podman',
  'data',
)
const noise = fc.constantFrom('', '.', 'x/..', 'proc/..', './.')

t.test('empty components, dot components and detours through .. never change the verdict', async () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(component, noise), { maxLength: 8 }), fc.boolean(), fc.boolean(), (parts, readOnly, trailingSlash) => {
      const clean = `/${parts.map(([part]) => part).join('/')}`
      const noisy = `/${parts.map(([part, extra]) => (extra === '' ? `${part}/` : `${part}/${extra}`)).join('/')}${trailingSlash ? '/' : ''}`
      const judged = (path: string) => rules.judge({ path, readOnly, open: false })
      return JSON.stringify(judged(noisy)) === JSON.stringify(judged(clean))
    }),
    { seed: 20261202, numRuns: 2000 },
  )
})

t.test('a parent directory is never judged weaker than a refused path inside it', async (t) => {
  const strength = { unlisted: 0, 'read-only': 1, writable: 2, refused: 2 } as const
  for (const refused of shipped.refused.filter((rule) => !rule.path.includes('*') && rule.path !== '/')) {
    const path = rules.normalise(refused.path)
    const parents = path
      .split('/')
      .slice(1, -1)
      .map((_, index, all) => `/${all.slice(0, index + 1).join('/')}`)
    for (const parent of parents) {
      const verdict = rules.judge({ path: parent, readOnly: false, open: false })
      t.equal(strength[verdict.kind], 2, `writable ${parent} (holds ${path}) is refused`)
    }
  }
})

t.test('.. never climbs above the root, and a relative path is read from the root', async (t) => {
  t.equal(rules.normalise('/../../etc/./'), '/etc')
  t.equal(rules.normalise('var/run/docker.sock'), '/run/docker.sock')
  t.equal(rules.normalise(''), '/')
})
