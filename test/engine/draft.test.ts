import t from 'tap'
import { createDraft } from '../../src/engine/draft.ts'

const original = () => ({
  name: 'app',
  env: [{ name: 'A', value: '1' }],
  securityContext: { runAsNonRoot: true, capabilities: { add: ['NET_BIND_SERVICE'] } },
  resources: { requests: { cpu: '1' } },
})

t.test('editing nested fields in place never changes the original', async (t) => {
  const base = original()
  const { draft, result } = createDraft(base)
  draft.securityContext.capabilities.add.push('SYS_TIME')
  draft.env[0] = { name: 'A', value: '2' }
  t.same(base, original())
  const edited = result()
  t.same(edited.securityContext.capabilities.add, ['NET_BIND_SERVICE', 'SYS_TIME'])
  t.same(edited.env, [{ name: 'A', value: '2' }])
})

t.test('untouched fields are shared by reference with the original', async (t) => {
  const base = original()
  const { draft, result } = createDraft(base)
  draft.name = 'renamed'
  const edited = result()
  t.equal(edited.env, base.env)
  t.equal(edited.securityContext, base.securityContext)
  t.equal(edited.name, 'renamed')
})

t.test('the draft behaves like a plain object: in, keys, spread, delete, JSON', async (t) => {
  const { draft, result } = createDraft<Record<string, unknown>>(original())
  t.equal('env' in draft, true)
  delete draft.env
  t.equal('env' in draft, false)
  t.equal(draft.env, undefined)
  draft.added = { x: 1 }
  t.same(Object.keys(draft), ['name', 'securityContext', 'resources', 'added'])
  t.same({ ...draft }.added, { x: 1 })
  t.same(JSON.parse(JSON.stringify(draft)).resources, { requests: { cpu: '1' } })
  t.equal(Object.getOwnPropertyDescriptor(draft, 'env'), undefined)
  t.equal((draft as Record<symbol, unknown>)[Symbol.iterator], undefined)
  t.same(Object.keys(result()), ['name', 'securityContext', 'resources', 'added'])
})

t.test('result can keep only chosen fields (ephemeral containers keep securityContext edits only)', async (t) => {
  const base = original()
  const { draft, result } = createDraft<Record<string, unknown>>(base)
  draft.securityContext = { allowPrivilegeEscalation: false }
  draft.resources = { limits: { cpu: '1' } }
  draft.extra = 1
  delete draft.env
  const edited = result((key) => key === 'securityContext')
  t.same(edited, { ...base, securityContext: { allowPrivilegeEscalation: false } })
})
