// SARIF 2.1.0 for code-scanning tools (GitHub code scanning, GitLab, Azure DevOps): one rule per
// policy, one result per finding, located at the manifest line of its object.
import { objectLabel, type Report } from './types.ts'

const LEVELS = { deny: 'error', warn: 'warning', audit: 'note' } as const

export function formatSarif(report: Report, version: string): string {
  const rules = report.policies.map((policy) => ({
    id: policy.id,
    shortDescription: { text: policy.description.split('. ')[0] as string },
    fullDescription: { text: policy.description },
    defaultConfiguration: { level: LEVELS[policy.action] },
    properties: { severity: policy.severity },
  }))
  const results = report.objects.flatMap((object) =>
    object.findings.map((finding) => ({
      ruleId: finding.policy,
      level: LEVELS[finding.action],
      message: { text: `${objectLabel(object)}: ${finding.message}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: object.file ?? object.source }, region: { startLine: object.line ?? 1 } },
          logicalLocations: [{ fullyQualifiedName: `${objectLabel(object)} ${finding.path}`, kind: 'object' }],
        },
      ],
    })),
  )
  const notifications = report.problems.map((problem) => ({ level: 'error', message: { text: `${problem.source}: ${problem.message}` } }))
  return `${JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'jackstop', version, rules } },
          results,
          invocations: [{ executionSuccessful: report.problems.length === 0, toolExecutionNotifications: notifications }],
        },
      ],
    },
    null,
    2,
  )}\n`
}
