// The readable report: findings grouped by object, colours only where the terminal wants them.
import { styleText } from 'node:util'
import { objectLabel, type Report } from './types.ts'

type Style = Parameters<typeof styleText>[0]

export function formatTable(report: Report, color: boolean): string {
  const paint = (style: Style, text: string) => (color ? styleText(style, text, { validateStream: false }) : text)
  const lines: string[] = []
  const withFindings = report.objects.filter((object) => object.findings.length > 0)
  for (const object of withFindings) {
    const count = object.count !== undefined && object.count > 1 ? ` ×${object.count}` : ''
    lines.push(`${paint('bold', objectLabel(object))}${count}  ${paint('dim', object.source)}`)
    for (const finding of object.findings) {
      const action = finding.action === 'deny' ? paint('red', 'DENY ') : finding.action === 'warn' ? paint('yellow', 'WARN ') : paint('dim', 'AUDIT')
      lines.push(`  ${action} ${finding.policy.padEnd(24)} ${finding.path}`)
      lines.push(`        ${finding.message}`)
    }
  }
  for (const problem of report.problems) lines.push(`${paint('red', 'ERROR')} ${problem.source}: ${problem.message}`)
  const notices = report.notices ?? []
  for (const notice of notices) lines.push(`${paint('dim', 'SKIP ')} ${notice.source}: ${notice.message}`)
  const counts = { deny: 0, warn: 0, audit: 0 }
  for (const object of withFindings) for (const finding of object.findings) counts[finding.action] += 1
  lines.push(
    `${report.objects.length} objects checked, ${withFindings.length} with findings: ${counts.deny} deny, ${counts.warn} warn, ${counts.audit} audit` +
      (report.problems.length > 0 ? `; ${report.problems.length} could not be read` : '') +
      (notices.length > 0 ? `; ${notices.length} skipped (not Kubernetes objects)` : ''),
  )
  return `${lines.join('\n')}\n`
}
