// `jackstop certs`: certificates for an in-cluster install without cert-manager.
import { Command, Option } from 'commander'
import { writeCertsOverlay } from '../certs/install.ts'
import { PACKAGE_ROOT } from './paths.ts'

function positive(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`"${value}" is not a positive whole number`)
  return parsed
}

export function certsCommand(): Command {
  return new Command('certs')
    .description(
      'create a CA and serving certificate, written as a Kustomize overlay that sets the namespace, Service, image, TLS Secret and every webhook’s caBundle',
    )
    .addOption(new Option('--dir <dir>', 'where the overlay goes').default('install'))
    .addOption(new Option('--namespace <namespace>', 'namespace of the webhook Service').default('jackstop-system'))
    .addOption(new Option('--service <name>', 'name of the webhook Service').default('jackstop'))
    .addOption(new Option('--image <reference>', "jackstop's image in your registry, with a tag or digest (default: the base's jackstop:0.1.0)"))
    .addOption(new Option('--days <days>', 'validity of the serving certificate').default(365).argParser(positive))
    .addOption(new Option('--manifests <dir>', 'the Kustomize base').default(`${PACKAGE_ROOT}manifests`))
    .action(async (options: { dir: string; namespace: string; service: string; image?: string; days: number; manifests: string }) => {
      const { reusedCa, dnsNames } = await writeCertsOverlay(options)
      process.stdout.write(
        [
          `${reusedCa ? 'Reused the CA' : 'Created a CA'} in ${options.dir}/ca.crt and issued a serving certificate for ${dnsNames.join(', ')}.`,
          options.image === undefined
            ? 'Image: jackstop:0.1.0 from the base, which no public registry serves: build and push it, then run again with --image.'
            : `Image: ${options.image}.`,
          `Install: kubectl apply -k ${options.dir}`,
          `Keep ${options.dir}/ca.key and tls-secret.yaml out of git; run this again to renew (the caBundle stays the same).`,
          '',
        ].join('\n'),
      )
    })
}
