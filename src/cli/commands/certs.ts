// `jackstop certs` flags; the work is in ../certs.ts, imported when the command runs.
import { Command, Option } from 'commander'
import type { CommandContext } from '../command.ts'
import { wholeNumber } from '../options.ts'
import { PACKAGE_ROOT } from '../paths.ts'

export function certsCommand(context: CommandContext): Command {
  return new Command('certs')
    .description(
      'create a CA and serving certificate, written as a Kustomize overlay that sets the namespace, Service, image, TLS Secret and every webhook’s caBundle',
    )
    .addOption(new Option('--dir <dir>', 'where the overlay goes').default('install'))
    .addOption(new Option('--namespace <namespace>', 'namespace of the webhook Service').default('jackstop-system'))
    .addOption(new Option('--service <name>', 'name of the webhook Service').default('jackstop'))
    .addOption(new Option('--image <reference>', "jackstop's image in your registry, with a tag or digest (default: the base's jackstop:0.1.0)"))
    .addOption(new Option('--days <days>', 'validity of the serving certificate').default(365).argParser(wholeNumber('--days', 1)))
    .addOption(new Option('--manifests <dir>', 'the Kustomize base').default(`${PACKAGE_ROOT}manifests`))
    .action(async (options) => {
      const { certs } = await import('../certs.ts')
      context.exitCode = await certs(options, context.io)
    })
}
