// `jackstop intel import|update`: threat intelligence into the policies directory's data.
import { Command, Option } from 'commander'
import { updateIntel } from '../intel/feeds.ts'
import type { ImportReport } from '../intel/import.ts'
import { importIntelFiles } from '../intel/import.ts'
import { LIST_KINDS, type ListKind } from '../intel/ioc-list.ts'
import { DEFAULT_POLICIES_DIR } from './paths.ts'

function summary(report: ImportReport): string {
  const files = report.files.length === 0 ? 'nothing written' : `wrote ${report.files.map((file) => `data/intel/${file}`).join(', ')}`
  return `${report.added} added, ${report.updated} updated, ${report.unchanged} already present; ${files}`
}

function printSkipped(report: ImportReport, stderr: NodeJS.WritableStream): void {
  for (const line of report.skipped) stderr.write(`skipped: ${line}\n`)
}

const policiesOption = () =>
  new Option('--policies <dir>', 'policies directory whose data/intel/ receives the entries').env('JACKSTOP_POLICIES').default(DEFAULT_POLICIES_DIR)

export function intelCommand(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Command {
  // Subcommands inherit error handling when they are created: set it first.
  const intel = new Command('intel')
    .description('bring threat intelligence (OSV records, indicator lists) into the policies data')
    .showHelpAfterError()
    .exitOverride()
  intel
    .command('import')
    .description('import OSV records (files or directories of .json) or plain one-per-line lists into data/intel/')
    .argument('<files...>', 'OSV JSON records, directories of them, or plain lists (with --kind)')
    .addOption(policiesOption())
    .addOption(new Option('--kind <kind>', 'what a plain list holds').choices(LIST_KINDS))
    .option('--source <name>', 'who published the list (quoted in denials); for OSV records, replaces "OSV"')
    .option('--date <date>', 'when the list was published (YYYY, YYYY-MM or YYYY-MM-DD); default today')
    .action(async (files: string[], options: { policies: string; kind?: ListKind; source?: string; date?: string }) => {
      const report = await importIntelFiles(files, options)
      printSkipped(report, stderr)
      stdout.write(`intel import: ${summary(report)}\n`)
    })
  intel
    .command('update')
    .description('import every feed listed in data/intel-feeds.yaml (paths or URLs); run it where downloads are allowed, never in the webhook')
    .addOption(policiesOption())
    .option('--feeds <file>', 'feeds file (default: <policies>/data/intel-feeds.yaml)')
    .action(async (options: { policies: string; feeds?: string }) => {
      for (const { feed, report } of await updateIntel(options)) {
        printSkipped(report, stderr)
        stdout.write(`intel update ${feed}: ${summary(report)}\n`)
      }
    })
  return intel
}
