// A CA and a serving certificate made with node-forge, so the quick start and the quick
// install need no cert-manager. The API server checks the serving name against the SANs.
import { randomBytes } from 'node:crypto'
import forge from 'node-forge'

export interface KeyPairPem {
  certPem: string
  keyPem: string
}

export const DEFAULT_SERVICE_NAMES = ['jackstop.jackstop-system.svc', 'jackstop.jackstop-system.svc.cluster.local']
export const DEFAULT_IP_ADDRESSES = ['127.0.0.1', '::1']

function serialNumber(): string {
  // Positive 64-bit serial (RFC 5280 4.1.2.2: a positive integer, at most 20 octets).
  const bytes = randomBytes(8)
  bytes[0] = (bytes[0] as number) & 0x7f
  return bytes.toString('hex')
}

function validity(cert: forge.pki.Certificate, days: number): void {
  const notBefore = new Date(Date.now() - 5 * 60 * 1000) // tolerate clock skew between nodes
  cert.validity.notBefore = notBefore
  cert.validity.notAfter = new Date(notBefore.getTime() + days * 24 * 60 * 60 * 1000)
}

export function createCertificateAuthority(commonName = 'jackstop-ca', days = 3650): KeyPairPem {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 })
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = serialNumber()
  validity(cert, days)
  const subject = [{ name: 'commonName', value: commonName }]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) }
}

export interface ServingCertificateOptions {
  /** The first name is also the certificate's common name. */
  dnsNames: [string, ...string[]]
  ipAddresses?: string[]
  days?: number
  /** `client` for the API server's own certificate when the webhook requires mTLS. */
  usage?: 'server' | 'client'
}

export function issueServingCertificate(ca: KeyPairPem, options: ServingCertificateOptions): KeyPairPem {
  const caCert = forge.pki.certificateFromPem(ca.certPem)
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem)
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 })
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = serialNumber()
  validity(cert, options.days ?? 365)
  cert.setSubject([{ name: 'commonName', value: options.dnsNames[0] }])
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    options.usage === 'client' ? { name: 'extKeyUsage', clientAuth: true } : { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...options.dnsNames.map((value) => ({ type: 2, value })), ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip }))],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ])
  cert.sign(caKey, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) }
}
