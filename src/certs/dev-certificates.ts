// The quick start's certificates: made once into certs/, reused afterwards.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createCertificateAuthority, DEFAULT_IP_ADDRESSES, DEFAULT_SERVICE_NAMES, issueServingCertificate } from './issue.ts'

export interface CertificatePaths {
  caCert: string
  cert: string
  key: string
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/** Returns the paths, generating a CA and serving certificate first if none exist in `dir`. */
export async function ensureDevCertificates(dir: string): Promise<CertificatePaths & { generated: boolean }> {
  const paths = { caCert: join(dir, 'ca.crt'), cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') }
  if ((await exists(paths.cert)) && (await exists(paths.key))) return { ...paths, generated: false }
  await mkdir(dir, { recursive: true })
  const ca = createCertificateAuthority()
  const serving = issueServingCertificate(ca, { dnsNames: ['localhost', ...DEFAULT_SERVICE_NAMES], ipAddresses: DEFAULT_IP_ADDRESSES })
  await writeFile(paths.caCert, ca.certPem)
  await writeFile(join(dir, 'ca.key'), ca.keyPem, { mode: 0o600 })
  await writeFile(paths.cert, serving.certPem)
  await writeFile(paths.key, serving.keyPem, { mode: 0o600 })
  return { ...paths, generated: true }
}

export async function readPem(path: string): Promise<string> {
  return readFile(path, 'utf8')
}
