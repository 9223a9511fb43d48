// SARIF 2.1.0 for code-scanning tools (GitHub code scanning, GitLab, Azure DevOps): one rule per
// policy, one result per finding, located at the manifest line of its object. Artifact URIs are
// URI references (RFC 3986): percent-encoded, relative to the root given by --sarif-root (the
// run's %SRCROOT%), a file: URI outside it. A finding with no file (standard input, a live
// cluster) carries only its logical location, the object and field, never free text as a URI.
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { objectLabel, type Report, type ReportedObject } from './types.ts'

const LEVELS = { deny: 'error', warn: 'warning', audit: 'note' } as const
const SRCROOT = '%SRCROOT%'
const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'

export interface SarifOptions {
  version: string
  /** The directory artifact URIs are relative to (default: the working directory). */
  root?: string | undefined
}

/** `manifests/my app.yaml` -> `manifests/my%20app.yaml` under %SRCROOT%; `-` (standard input) has none. */
export function artifactLocation(file: string | undefined, root: string): { uri: string; uriBaseId?: string } | undefined {
  if (file === undefined || file === '-') return undefined
  const absolute = resolve(file)
  const path = relative(root, absolute)
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return { uri: pathToFileURL(absolute).href }
  // encodeURIComponent also encodes `:`, so a first segment such as `c:` is never read as a scheme.
  return { uri: path.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT }
}

function locationsOf(object: ReportedObject, path: string, root: string) {
  const logicalLocations = [{ name: path, fullyQualifiedName: `${objectLabel(object)}/${path}`, kind: 'resource' }]
  const artifact = artifactLocation(object.file, root)
  if (artifact === undefined) return [{ logicalLocations }]
  return [{ physicalLocation: { artifactLocation: artifact, region: { startLine: object.line ?? 1 } }, logicalLocations }]
}

export function formatSarif(report: Report, options: SarifOptions): string {
  const root = resolve(options.root ?? '.')
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
      locations: locationsOf(object, finding.path, root),
    })),
  )
  const notifications = [
    ...report.problems.map((problem) => ({ level: 'error', message: { text: `${problem.source}: ${problem.message}` } })),
    ...(report.notices ?? []).map((notice) => ({ level: 'note', message: { text: `${notice.source}: skipped, ${notice.message}` } })),
  ]
  return `${JSON.stringify(
    {
      $schema: SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'jackstop', version: options.version, rules } },
          originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(root).href.replace(/\/$/, '')}/` } },
          results,
          invocations: [{ executionSuccessful: report.problems.length === 0, toolExecutionNotifications: notifications }],
        },
      ],
    },
    null,
    2,
  )}\n`
}
