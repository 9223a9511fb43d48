// Picks the output format a user asked for.
import { formatJson } from './json.ts'
import { formatSarif } from './sarif.ts'
import { formatTable } from './table.ts'
import type { Report } from './types.ts'

export const OUTPUT_FORMATS = ['table', 'json', 'sarif'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** `color`: the door decides (a terminal, NO_COLOR, FORCE_COLOR); JSON and SARIF never have colour. */
export function formatReport(report: Report, format: OutputFormat, color: boolean, version: string): string {
  if (format === 'json') return formatJson(report)
  if (format === 'sarif') return formatSarif(report, version)
  return formatTable(report, color)
}
