// Picks the output format a user asked for.
import { formatJson } from './json.ts'
import { formatPolicyReports } from './policy-report.ts'
import { formatSarif } from './sarif.ts'
import { formatTable } from './table.ts'
import type { Report } from './types.ts'

export const OUTPUT_FORMATS = ['table', 'json', 'sarif', 'policyreport', 'openreports'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

export interface FormatOptions {
  /** SARIF artifact URIs are relative to this directory (default: the working directory). */
  sarifRoot?: string | undefined
  /** The reports' timestamp (default: now). */
  now?: Date
}

/** `color`: the door decides (a terminal, NO_COLOR, FORCE_COLOR); only the table uses it. */
export function formatReport(report: Report, format: OutputFormat, color: boolean, version: string, options: FormatOptions = {}): string {
  if (format === 'json') return formatJson(report)
  if (format === 'sarif') return formatSarif(report, { version, root: options.sarifRoot })
  if (format === 'policyreport' || format === 'openreports') return formatPolicyReports(report, format, options.now ?? new Date())
  return formatTable(report, color)
}
