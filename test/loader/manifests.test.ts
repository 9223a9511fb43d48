import t from 'tap'
import { loadManifests, parseManifests } from '../../src/loader/manifests.ts'

t.test('empty documents are skipped; scalars and kind-less maps are reported; nested Lists expand', async (t) => {
  const result = parseManifests(
    '---\n---\njust a string\n---\n{a: 1}\n---\nkind: List\nitems: [{kind: ConfigMapList, items: [{kind: ConfigMap, metadata: {name: a}}]}, 7]\n',
    'f.yaml',
  )
  t.same(
    result.objects.map((loaded) => `${loaded.object.kind}/${loaded.object.metadata?.name}@${loaded.source}`),
    ['ConfigMap/a@f.yaml:7'],
  )
  t.same(result.problems, [
    { file: 'f.yaml', line: 3, message: 'not a Kubernetes object (no kind)' },
    { file: 'f.yaml', line: 5, message: 'not a Kubernetes object (no kind)' },
  ])
})

t.test('directories are walked in order, skipping hidden entries and non-manifest files', async (t) => {
  const dir = t.testdir({
    '.git': { 'x.yaml': 'kind: Secret\n' },
    '.hidden.yaml': 'kind: Secret\n',
    b: { 'two.yml': 'kind: ConfigMap\nmetadata: {name: two}\n' },
    'a.json': '{"kind":"ConfigMap","metadata":{"name":"one"}}',
    'README.md': '# not a manifest',
  })
  const result = await loadManifests([dir], async () => '')
  t.same(
    result.objects.map((loaded) => loaded.object.metadata?.name),
    ['one', 'two'],
  )
})
