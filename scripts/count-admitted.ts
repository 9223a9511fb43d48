// Counts, for issue 12's five tables, how many attempts a policy set refuses, warns about or
// admits silently: `node scripts/count-admitted.ts [policies-dir]`. Run it in a checkout of
// an older commit (with test/tables/ copied in) for the "before" figures.
import { reviewAdmission } from '../src/admission/review.ts'
import type { AdmissionRequest } from '../src/admission/types.ts'
import { evaluate } from '../src/engine/evaluate.ts'
import type { PolicySet } from '../src/engine/types.ts'
import { loadPolicySet } from '../src/policy/load.ts'
import type { KubeObject } from '../src/workloads/kubernetes.ts'
import { CAPABILITY_CASES } from '../test/tables/capabilities.ts'
import { HOST_PATH_CASES, podForHostPath } from '../test/tables/host-paths.ts'
import { IDENTITY_CASES } from '../test/tables/identities.ts'
import { BAD_IMAGE_SPELLINGS } from '../test/tables/image-spellings.ts'
import { BASELINE_CASES, baselinePod } from '../test/tables/pod-security-baseline.ts'

type Outcome = 'deny' | 'warn' | 'allow'
const policySet: PolicySet = await loadPolicySet(process.argv[2] ?? new URL('../policies/', import.meta.url).pathname)

function outcome(object: unknown): Outcome {
  const actions = evaluate({ object: object as KubeObject }, policySet).findings.map((finding) => finding.action)
  return actions.includes('deny') ? 'deny' : actions.includes('warn') ? 'warn' : 'allow'
}

const pod = (containers: unknown[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers } })
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
}

function requested(userInfo: AdmissionRequest['userInfo']): Outcome {
  const request: AdmissionRequest = {
    uid: '00000000-0000-4000-8000-000000000001',
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    namespace: 'shop',
    operation: 'CREATE',
    object: deployment,
    ...(userInfo === undefined ? {} : { userInfo }),
  }
  const { response } = reviewAdmission(request, policySet, { phase: 'validate', auditOnly: false })
  return !response.allowed ? 'deny' : (response.warnings ?? []).length > 0 ? 'warn' : 'allow'
}

const tables: { bullet: string; cases: { expect: Outcome; actual: Outcome }[] }[] = [
  { bullet: 'host paths', cases: HOST_PATH_CASES.map((entry) => ({ expect: entry.expect, actual: outcome(podForHostPath(entry)) })) },
  {
    bullet: 'capabilities',
    cases: CAPABILITY_CASES.map((entry) => ({
      expect: entry.expect,
      actual: outcome(pod([{ name: 'c', image: 'a:1', securityContext: { capabilities: { add: [entry.capability] } } }])),
    })),
  },
  {
    bullet: 'baseline violations',
    cases: BASELINE_CASES.map((entry) => ({ expect: entry.expect, actual: outcome(baselinePod(entry.spec, entry.annotations)) })),
  },
  { bullet: 'image spellings', cases: BAD_IMAGE_SPELLINGS.map((image) => ({ expect: 'deny' as const, actual: outcome(pod([{ name: 'c', image }])) })) },
  { bullet: 'identities', cases: IDENTITY_CASES.map((entry) => ({ expect: entry.expect, actual: requested(entry.userInfo) })) },
]

for (const { bullet, cases } of tables) {
  const bad = cases.filter((entry) => entry.expect !== 'allow')
  const count = (actual: Outcome) => bad.filter((entry) => entry.actual === actual).length
  const good = cases.filter((entry) => entry.expect === 'allow')
  console.log(
    `${bullet}: of ${bad.length} that should be refused or warned, ${count('deny')} refused, ${count('warn')} warned, ${count('allow')} admitted silently; ` +
      `${bad.filter((entry) => entry.expect === 'deny' && entry.actual !== 'deny').length} of ${bad.filter((entry) => entry.expect === 'deny').length} meant for refusal got through; ` +
      `of ${good.length} that should pass, ${good.filter((entry) => entry.actual === 'deny').length} refused`,
  )
}
