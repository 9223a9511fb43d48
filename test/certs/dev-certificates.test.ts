import { X509Certificate } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import t from 'tap'
import { ensureDevCertificates } from '../../src/certs/dev-certificates.ts'

t.test('the quick-start certificates are made once, with the in-cluster names, and reused', async (t) => {
  const dir = t.testdir()
  const first = await ensureDevCertificates(dir)
  t.equal(first.generated, true)
  const cert = new X509Certificate(await readFile(first.cert))
  const ca = new X509Certificate(await readFile(first.caCert))
  t.equal(
    cert.subjectAltName,
    'DNS:localhost, DNS:jackstop.jackstop-system.svc, DNS:jackstop.jackstop-system.svc.cluster.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
  )
  t.ok(cert.verify(ca.publicKey), 'signed by the CA')
  t.equal(ca.ca, true)
  t.equal((await stat(`${dir}/tls.key`)).mode & 0o777, 0o600, 'the key is readable by its owner only')
  const second = await ensureDevCertificates(dir)
  t.equal(second.generated, false)
  t.equal(await readFile(second.cert, 'utf8'), await readFile(first.cert, 'utf8'))
})
