// `jackstop intel import|update` flags; the work is in ../intel.ts, imported when a subcommand runs.
import { Command, Option } from 'commander'
import { LIST_KINDS } from '../../intel/ioc-list.ts'
import type { CommandContext } from '../command.ts'
import { fromEnv } from '../options.ts'
import { DEFAULT_POLICIES_DIR } from '../paths.ts'

const policiesOption = () =>
  fromEnv(new Option('--policies <dir>', 'policies directory whose data/intel/ receives the entries').default(DEFAULT_POLICIES_DIR), 'JACKSTOP_POLICIES')

export function intelCommand(context: CommandContext): Command {
  const intel = new Command('intel').description('bring threat intelligence (OSV records, indicator lists) into the policies data')
  intel
    .command('import')
    .description('import OSV records (files or directories of .json) or plain one-per-line lists into data/intel/')
    .argument('<files...>', 'OSV JSON records, directories of them, or plain lists (with --kind)')
    .addOption(policiesOption())
    .addOption(new Option('--kind <kind>', 'what a plain list holds').choices(LIST_KINDS))
    .option('--source <name>', 'who published the list (quoted in denials); for OSV records, replaces "OSV"')
    .option('--date <date>', 'when the list was published (YYYY, YYYY-MM or YYYY-MM-DD); default today')
    .action(async (files: string[], options) => {
      const { intelImport } = await import('../intel.ts')
      context.exitCode = await intelImport(files, options, context.io)
    })
  intel
    .command('update')
    .description('import every feed listed in data/intel-feeds.yaml (paths or URLs); run it where downloads are allowed, never in the webhook')
    .addOption(policiesOption())
    .option('--feeds <file>', 'feeds file (default: <policies>/data/intel-feeds.yaml)')
    .action(async (options) => {
      const { intelUpdate } = await import('../intel.ts')
      context.exitCode = await intelUpdate(options, context.io)
    })
  return intel
}
