// The files `jackstop new-policy` writes: a policy that already works (it warns about unpinned
// images) and the test case that proves it, so an author starts from a green `jackstop test`.

export type ScaffoldKind = 'yaml' | 'ts'

/** A file to create, relative to the policies directory. */
export interface ScaffoldFile {
  path: string
  content: string
}

function yamlPolicy(id: string): string {
  return `# ${id}: a schema policy. The schema is what a compliant target satisfies; see docs/policies.md.
id: ${id}
description: >-
  Warns about containers whose image has no tag, or the tag latest, so what runs can be traced
  to a build. Replace this with what your policy checks.
severity: low
action: warn
target: container
message: pin the image to a tag other than latest, or to a digest
schema:
  type: object
  required: [image]
  properties:
    image:
      type: string
      # A tag (after the last slash) or a digest, and not :latest.
      pattern: "(:[^/:]+|@sha256:[0-9a-f]{64})$"
      not: { pattern: ":latest$" }
`
}

function tsPolicy(id: string): string {
  return `// ${id}: a TypeScript policy. Types come from jackstop/policy (import type only); helpers
// arrive at run time through \`kit\`. See docs/policies.md.
import type { ContainerValidationPolicy } from 'jackstop/policy'

export default {
  id: '${id}',
  description: 'Warns about containers whose image has no tag, or the tag latest, so what runs can be traced to a build.',
  severity: 'low',
  action: 'warn',
  target: 'container',
  mode: 'validate',
  prepare: ({ kit }) => {
    // prepare runs once per load: build matchers here, not in the function it returns.
    return (container) => {
      if (typeof container.image !== 'string') return []
      const { tag, digest } = kit.normaliseImageRef(container.image)
      if (digest !== undefined || (tag !== undefined && tag !== 'latest')) return []
      return [{ field: 'image', message: \`image "\${container.image}" is not pinned: use a tag other than latest, or a digest\` }]
    }
  },
} satisfies ContainerValidationPolicy
`
}

function testCase(id: string): string {
  return `# Run: jackstop test <policies>/tests/${id} --policies <policies>
name: ${id}
# Only the policies named here run, so other policies cannot change these results.
policies: [${id}]
resources: [resources.yaml]
results:
  - { object: Pod/default/pinned, expect: allow }
  - { object: Pod/default/unpinned, expect: warn, policies: [${id}] }
`
}

const resources = `# One object that the policy admits quietly and one it reports.
apiVersion: v1
kind: Pod
metadata: { name: pinned, namespace: default }
spec:
  containers: [{ name: web, image: "nginx:1.27" }]
---
apiVersion: v1
kind: Pod
metadata: { name: unpinned, namespace: default }
spec:
  containers: [{ name: web, image: "nginx:latest" }]
`

/** The policy file and its test case for `id`, which the caller has checked against the id pattern. */
export function scaffoldFiles(id: string, kind: ScaffoldKind): ScaffoldFile[] {
  return [
    { path: `${id}.${kind}`, content: kind === 'yaml' ? yamlPolicy(id) : tsPolicy(id) },
    { path: `tests/${id}/jackstop-test.yaml`, content: testCase(id) },
    { path: `tests/${id}/resources.yaml`, content: resources },
  ]
}
