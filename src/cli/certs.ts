// `jackstop certs`: certificates for an in-cluster install without cert-manager.
import { type CertsOptions, writeCertsOverlay } from '../certs/install.ts'
import type { CliIo } from './io.ts'

export async function certs(options: CertsOptions, io: Pick<CliIo, 'stdout'>): Promise<number> {
  const { reusedCa, dnsNames } = await writeCertsOverlay(options)
  io.stdout.write(
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
  return 0
}
