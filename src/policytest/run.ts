// `jackstop test`: policy unit tests for platform teams, like `kyverno test` and `gator verify`.
// A folder holds resources and a jackstop-test.yaml with the expected result for each object:
// allow, warn or deny, the policies that report it, and for Pods the expected patch. A file's
// top-level `policies` names the policies it exercises; only those run (all when absent).

import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { Ajv } from 'ajv'
import jsonPatch from 'fast-json-patch'
import { parse } from 'yaml'
import { requesterOf } from '../admission/requester.ts'
import type { UserInfo } from '../admission/types.ts'
import { evaluate } from '../engine/evaluate.ts'
import type { Action, PolicySet } from '../engine/types.ts'
import { loadManifests } from '../loader/manifests.ts'
import { describeAjvErrors } from '../policy/ajv-errors.ts'
import type { KubeObject } from '../workloads/kubernetes.ts'
import { selectPolicies } from './select.ts'

export type Expectation = 'allow' | 'warn' | 'deny'

export interface ExpectedResult {
  object: string
  expect: Expectation
  policies?: string[]
  patch?: unknown[]
  /** Who asks, as the API server's request.userInfo says it: for identity-aware policies. */
  userInfo?: UserInfo
}

export interface TestFile {
  name: string
  /** The policies under test; the others are left out of every case. */
  policies?: string[]
  resources: string[]
  results: ExpectedResult[]
}

export interface CaseOutcome {
  file: string
  test: string
  object: string
  passed: boolean
  detail: string
}

const TEST_FILE = 'jackstop-test.yaml'

const validateTestFile = new Ajv({ allErrors: true }).compile({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'resources', 'results'],
  properties: {
    name: { type: 'string' },
    policies: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    resources: { type: 'array', minItems: 1, items: { type: 'string' } },
    results: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['object', 'expect'],
        properties: {
          object: { type: 'string', pattern: '^[A-Za-z]+/([^/]+/)?[^/]+$' },
          expect: { enum: ['allow', 'warn', 'deny'] },
          policies: { type: 'array', items: { type: 'string' } },
          patch: { type: 'array' },
          userInfo: {
            type: 'object',
            additionalProperties: false,
            required: ['username'],
            properties: { username: { type: 'string' }, uid: { type: 'string' }, groups: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
  },
})

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name === TEST_FILE)
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** `Pod/shop/worker` or `Namespace/name`. */
function objectKey(object: KubeObject): string {
  const namespace = object.metadata?.namespace
  return `${object.kind}/${namespace === undefined ? '' : `${namespace}/`}${object.metadata?.name ?? ''}`
}

function outcomeOf(actions: Action[]): Expectation {
  if (actions.includes('deny')) return 'deny'
  return actions.includes('warn') ? 'warn' : 'allow'
}

function runCase(expected: ExpectedResult, object: KubeObject | undefined, policySet: PolicySet): { passed: boolean; detail: string } {
  if (object === undefined) return { passed: false, detail: 'no such object in the resources' }
  const { findings } = evaluate({ object, requester: requesterOf(expected.userInfo) }, policySet)
  const actual = outcomeOf(findings.map((finding) => finding.action))
  const reporting = [...new Set(findings.filter((finding) => finding.action === actual).map((finding) => finding.policy))].sort()
  const problems: string[] = []
  if (actual !== expected.expect) problems.push(`expected ${expected.expect}, got ${actual}${reporting.length > 0 ? ` (${reporting.join(', ')})` : ''}`)
  else if (expected.policies !== undefined && !isDeepStrictEqual([...expected.policies].sort(), reporting)) {
    problems.push(`expected ${expected.expect} by ${[...expected.policies].sort().join(', ') || 'no policy'}, got ${reporting.join(', ') || 'no policy'}`)
  }
  if (expected.patch !== undefined) {
    const { patch } = evaluate(
      { object, validate: false, mutation: { pod: true, container: (container) => container.list !== 'ephemeralContainers' } },
      policySet,
    )
    // Patches are compared by what they do, so independent operations may come in any order.
    const patched = (operations: unknown[]) => jsonPatch.applyPatch(structuredClone(object), operations as jsonPatch.Operation[], true, false).newDocument
    let expectedObject: unknown
    try {
      expectedObject = patched(expected.patch)
    } catch (error) {
      problems.push(`the expected patch does not apply: ${(error as Error).message.split('\n')[0]}`)
    }
    if (expectedObject !== undefined && !isDeepStrictEqual(patched(patch), expectedObject)) problems.push(`patch differs: got ${JSON.stringify(patch)}`)
  }
  const summary = `${actual}${reporting.length > 0 ? ` (${reporting.join(', ')})` : ''}${expected.patch !== undefined ? ', patch as expected' : ''}`
  return problems.length === 0 ? { passed: true, detail: summary } : { passed: false, detail: problems.join('; ') }
}

export interface TestRun {
  outcomes: CaseOutcome[]
  problems: string[]
}

export async function runPolicyTests(dir: string, policySet: PolicySet): Promise<TestRun> {
  const run: TestRun = { outcomes: [], problems: [] }
  const files = await testFiles(dir)
  if (files.length === 0) run.problems.push(`${dir}: no ${TEST_FILE} found`)
  for (const file of files) {
    const shown = relative(process.cwd(), file)
    let definition: unknown
    try {
      definition = parse(await readFile(file, 'utf8'))
    } catch (error) {
      run.problems.push(`${shown}: not valid YAML: ${(error as Error).message.split('\n')[0]}`)
      continue
    }
    if (!validateTestFile(definition)) {
      run.problems.push(`${shown}: ${describeAjvErrors(validateTestFile.errors)}`)
      continue
    }
    const test = definition as TestFile
    const selection = selectPolicies(policySet, test.policies)
    if (!selection.ok) {
      run.problems.push(`${shown}: /policies names ${selection.unknown.map((name) => `"${name}"`).join(', ')}, not in the policies directory`)
      continue
    }
    const loaded = await loadManifests(
      test.resources.map((resource) => join(dirname(file), resource)),
      async () => '',
    )
    run.problems.push(
      ...loaded.problems.map(
        (problem) => `${relative(process.cwd(), problem.file)}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.message}`,
      ),
    )
    const byKey = new Map(loaded.objects.map(({ object }) => [objectKey(object), object]))
    for (const expected of test.results) {
      const { passed, detail } = runCase(expected, byKey.get(expected.object), selection.policySet)
      run.outcomes.push({ file: shown, test: test.name, object: expected.object, passed, detail })
    }
  }
  return run
}
