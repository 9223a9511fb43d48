import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { runCli, spawnCli } from '../helpers/cli.ts'

t.test('jackstop certs writes an overlay that installs the webhook with its Secret and caBundle', async (t) => {
  const dir = join(t.testdir(), 'install')
  const first = await runCli(['certs', '--dir', dir])
  t.equal(first.code, 0)
  t.match(
    first.stdout,
    /^Created a CA in .*ca\.crt and issued a serving certificate for jackstop\.jackstop-system\.svc, jackstop\.jackstop-system\.svc\.cluster\.local, jackstop\.jackstop-system\.\nImage: jackstop:0\.1\.0 from the base, which no public registry serves: build and push it, then run again with --image\.\n/,
  )
  // biome-ignore lint/suspicious/noExplicitAny: rendered objects are inspected field by field
  const objects = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((document) => document.toJS() as any)
  const secret = objects.find((object) => object.kind === 'Secret')
  t.match(secret, { type: 'kubernetes.io/tls', metadata: { name: 'jackstop-tls', namespace: 'jackstop-system' } })
  const caPem = await readFile(join(dir, 'ca.crt'), 'utf8')
  const ca = new X509Certificate(caPem)
  const serving = new X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64'))
  t.ok(serving.verify(ca.publicKey), 'the serving certificate is signed by the CA')
  t.equal(serving.subjectAltName, 'DNS:jackstop.jackstop-system.svc, DNS:jackstop.jackstop-system.svc.cluster.local, DNS:jackstop.jackstop-system')
  const bundles = objects
    .filter((object) => object.kind.endsWith('WebhookConfiguration'))
    .flatMap((configuration) => configuration.webhooks.map((hook: { clientConfig: { caBundle: string } }) => hook.clientConfig.caBundle))
  t.same(bundles, Array(6).fill(Buffer.from(caPem).toString('base64')))
  t.equal((await stat(join(dir, 'ca.key'))).mode & 0o777, 0o600)
  t.equal((await stat(join(dir, 'tls-secret.yaml'))).mode & 0o777, 0o600)

  const second = await runCli(['certs', '--dir', dir, '--days', '30'])
  t.match(second.stdout, /^Reused the CA/)
  t.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), caPem, 'the caBundle stays valid across renewals')
  const renewed = parseAllDocuments(await readFile(join(dir, 'tls-secret.yaml'), 'utf8'))[0]?.toJS() as { data: Record<string, string> }
  t.not(renewed.data['tls.crt'], secret.data['tls.crt'])
})

t.test('certs for another namespace and service name', async (t) => {
  const dir = join(t.testdir(), 'other')
  await runCli(['certs', '--dir', dir, '--namespace', 'security', '--service', 'admission'])
  const secret = parseAllDocuments(await readFile(join(dir, 'tls-secret.yaml'), 'utf8'))[0]?.toJS() as {
    metadata: { namespace: string }
    data: Record<string, string>
  }
  t.equal(secret.metadata.namespace, 'security')
  t.match(new X509Certificate(Buffer.from(secret.data['tls.crt'] as string, 'base64')).subjectAltName, 'DNS:admission.security.svc')
  const zeroDays = await runCli(['certs', '--days', '0'])
  t.same(zeroDays, { code: 2, stdout: '', stderr: 'jackstop: JACKSTOP_ERR_USAGE: --days must be a whole number of at least 1, not "0"\n' })
})

t.test('the binary refuses a validity that is not a number before writing anything', async (t) => {
  const dir = join(t.testdir(), 'never')
  const result = await spawnCli(['certs', '--dir', dir, '--days', 'soon'])
  t.equal(result.code, 2)
  t.match(result.stderr, /JACKSTOP_ERR_USAGE: --days must be a whole number of at least 1, not "soon"/)
  await t.rejects(stat(dir), { code: 'ENOENT' })
})
