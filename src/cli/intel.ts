// `jackstop intel import|update`: threat intelligence into the policies directory's data.
import { updateIntel } from '../intel/feeds.ts'
import type { ImportReport } from '../intel/import.ts'
import { importIntelFiles } from '../intel/import.ts'
import type { ListKind } from '../intel/ioc-list.ts'
import type { Output } from './io.ts'

function summary(report: ImportReport): string {
  const files = report.files.length === 0 ? 'nothing written' : `wrote ${report.files.map((file) => `data/intel/${file}`).join(', ')}`
  return `${report.added} added, ${report.updated} updated, ${report.unchanged} already present; ${files}`
}

function printSkipped(report: ImportReport, stderr: Output): void {
  for (const line of report.skipped) stderr.write(`skipped: ${line}\n`)
}

export async function intelImport(
  files: string[],
  options: { policies: string; kind?: ListKind; source?: string; date?: string },
  io: { stdout: Output; stderr: Output },
): Promise<number> {
  const report = await importIntelFiles(files, options)
  printSkipped(report, io.stderr)
  io.stdout.write(`intel import: ${summary(report)}\n`)
  return 0
}

export async function intelUpdate(options: { policies: string; feeds?: string }, io: { stdout: Output; stderr: Output }): Promise<number> {
  for (const { feed, report } of await updateIntel(options)) {
    printSkipped(report, io.stderr)
    io.stdout.write(`intel update ${feed}: ${summary(report)}\n`)
  }
  return 0
}
