// Machine-readable report: every object, finding and problem, for scripts and dashboards.
import type { Report } from './types.ts'

export function formatJson(report: Report): string {
  return `${JSON.stringify(
    {
      objects: report.objects.map(({ kind, namespace, name, source, count, findings }) => ({
        kind,
        namespace,
        name,
        source,
        ...(count === undefined ? {} : { count }),
        findings,
      })),
      problems: report.problems,
      ...(report.notices === undefined ? {} : { skipped: report.notices }),
      summary: {
        objects: report.objects.length,
        deny: report.objects.reduce((sum, object) => sum + object.findings.filter((finding) => finding.action === 'deny').length, 0),
        warn: report.objects.reduce((sum, object) => sum + object.findings.filter((finding) => finding.action === 'warn').length, 0),
      },
    },
    null,
    2,
  )}\n`
}
