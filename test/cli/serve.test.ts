import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { request } from 'node:https'
import { join } from 'node:path'
import { connect } from 'node:tls'
import t from 'tap'
import { runCli, spawnUntilReady, startCli } from '../helpers/cli.ts'

t.test('the binary generates certificates, serves the sample review and exits cleanly on SIGTERM', async (t) => {
  const certDir = t.testdir()
  // JACKSTOP_AUDIT_ONLY=false once meant "on": the sample miner must still be refused.
  const { child, match, output } = await spawnUntilReady(
    ['serve', '--port', '0', '--cert-dir', certDir],
    /serving on https:\/\/127\.0\.0\.1:(\d+)\. Try it/,
    {
      JACKSTOP_AUDIT_ONLY: 'false',
    },
    { measured: true },
  )
  t.teardown(() => child.kill('SIGKILL'))
  const port = Number(match[1])
  const ca = await readFile(join(certDir, 'ca.crt'), 'utf8')
  const sample = await readFile(new URL('../../examples/deny-xmrig-pod.json', import.meta.url), 'utf8')
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/validate?timeout=10s', method: 'POST', ca, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve(text))
      },
    )
    req.on('error', reject)
    req.end(sample)
  })
  t.match(JSON.parse(body), { response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: false, status: { code: 403 } } })
  t.match(
    output().stderr,
    /curl --cacert .*ca\.crt -H 'Content-Type: application\/json' --data @.*examples\/deny-xmrig-pod\.json https:\/\/127\.0\.0\.1:\d+\/validate/,
  )
  child.kill('SIGTERM')
  const [code] = await once(child, 'close')
  t.equal(code, 0)
  const logs = output()
    .stdout.split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string })
  t.same(
    logs.map((line) => line.msg),
    [
      'generated a CA and a serving certificate',
      `Server listening at https://127.0.0.1:${port}`,
      'jackstop ready',
      'admission decision',
      'shutting down: readiness off, draining reviews',
    ],
  )
})

t.test('serve refuses to start with a broken policy set and says which file', async (t) => {
  const dir = t.testdir({
    policies: { 'bad.yaml': 'id: bad\ndescription: x\nseverity: high\naction: refuse\ntarget: pod\nmessage: m\nschema: {}\n' },
    certs: {},
  })
  const result = await runCli(['serve', '--port', '0', '--policies', join(dir, 'policies'), '--cert-dir', join(dir, 'certs')])
  t.equal(result.code, 2)
  t.match(result.stderr, /^jackstop: JACKSTOP_ERR_POLICY_LOAD: .*bad\.yaml: \/action must be one of deny, warn, audit\n$/)
})

t.test('a port that is not a number is a usage error', async (t) => {
  const result = await runCli(['serve', '--port', 'https'])
  t.same(result, { code: 2, stdout: '', stderr: 'jackstop: JACKSTOP_ERR_USAGE: --port must be a whole number from 0 to 65535, not "https"\n' })
})

t.test('--cert without --key is a usage error', async (t) => {
  const result = await runCli(['serve', '--port', '0', '--cert', 'x.crt'])
  t.equal(result.code, 2)
  t.equal(result.stderr, 'jackstop: JACKSTOP_ERR_USAGE: --cert and --key go together\n')
})

t.test('an unknown command prints help and exits 2', async (t) => {
  const result = await runCli(['serve', '--no-such-flag'])
  t.equal(result.code, 2)
  t.match(result.stderr, /unknown option '--no-such-flag'/)
})

t.test('--help explains the command and exits 0', async (t) => {
  const result = await runCli(['serve', '--help'])
  t.equal(result.code, 0)
  t.match(result.stdout, /Usage: jackstop serve \[options\]/)
  const text = result.stdout.replace(/\s+/g, ' ')
  t.match(text, '--audit-only dry run: refuse and patch nothing; log and warn instead (default: false) (env: JACKSTOP_AUDIT_ONLY=true|false|1|0)')
  t.match(text, '--port <port> TLS port (default: 8443) (env: JACKSTOP_PORT)')
})

// One CA and serving certificate for the in-process servers below (RSA key generation is the slow
// part of a start); the binary's test above generates its own, as a first start does.
const sharedCertDir = t.testdir()

t.test('JACKSTOP_AUDIT_ONLY takes true, 1, false and 0; false and 0 mean off', async (t) => {
  for (const [value, auditOnly] of [
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ] as const) {
    const served = await startCli(['serve', '--port', '0', '--cert-dir', sharedCertDir], /serving on https:\/\/127\.0\.0\.1:(\d+)\. Try it/, {
      env: { JACKSTOP_AUDIT_ONLY: value },
    })
    await served.shutdown()
    const ready = served
      .output()
      .stdout.split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; auditOnly?: boolean })
      .find((line) => line.msg === 'jackstop ready')
    t.equal(ready?.auditOnly, auditOnly, `JACKSTOP_AUDIT_ONLY=${value}`)
  }
})

t.test('any other boolean or number in the environment is a usage error naming the variable', async (t) => {
  for (const [env, message] of [
    [{ JACKSTOP_AUDIT_ONLY: 'yes' }, 'JACKSTOP_AUDIT_ONLY must be true, false, 1 or 0, not "yes"'],
    [{ JACKSTOP_AUDIT_ONLY: '' }, 'JACKSTOP_AUDIT_ONLY must be true, false, 1 or 0, not ""'],
    [{ JACKSTOP_AUDIT_ONLY: 'FALSE' }, 'JACKSTOP_AUDIT_ONLY must be true, false, 1 or 0, not "FALSE"'],
    [{ JACKSTOP_PORT: '8443x' }, 'JACKSTOP_PORT: --port must be a whole number from 0 to 65535, not "8443x"'],
    [{ JACKSTOP_DRAIN_DELAY: '-1' }, 'JACKSTOP_DRAIN_DELAY: --drain-delay must be a whole number, not "-1"'],
    [{ JACKSTOP_LOG_LEVEL: 'loud' }, 'JACKSTOP_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud"'],
  ] as const) {
    // Refused before anything is read, written or listened on.
    const result = await runCli(['serve'], { env })
    t.same(result, { code: 2, stdout: '', stderr: `jackstop: JACKSTOP_ERR_USAGE: ${message}\n` }, JSON.stringify(env))
  }
})

t.test('a flag on the command line wins over the environment, which wins over the default', async (t) => {
  const served = await startCli(
    ['serve', '--port', '0', '--cert-dir', sharedCertDir, '--log-level', 'info'],
    /serving on https:\/\/127\.0\.0\.1:(\d+)\. Try it/,
    {
      env: { JACKSTOP_PORT: 'not a port', JACKSTOP_LOG_LEVEL: 'silent', JACKSTOP_AUDIT_ONLY: '1' },
    },
  )
  await served.shutdown()
  t.match(served.output().stdout, /"auditOnly":true/)
})

t.test('serve takes a certificate and key from files, with an optional client CA, on IPv6', async (t) => {
  const dir = t.testdir({ generated: {} })
  const { ensureDevCertificates } = await import('../../src/certs/dev-certificates.ts')
  const certs = await ensureDevCertificates(join(dir, 'generated'))
  const served = await startCli(
    ['serve', '--host', '::1', '--port', '0', '--cert', certs.cert, '--key', certs.key, '--client-ca', certs.caCert, '--log-level', 'warn'],
    /serving on https:\/\/\[::1\]:(\d+)\. Try it/,
  )
  const { match } = served
  const port = Number(match[1])
  const serial = () =>
    new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '::1', port, ca: readFileSync(certs.caCert, 'utf8'), servername: 'localhost' }, () => {
        resolve(socket.getPeerCertificate().serialNumber)
        socket.end()
      })
      socket.on('error', reject)
    })
  const before = await serial()
  // A renewed certificate written over the files is served to new connections without a restart.
  const { issueServingCertificate } = await import('../../src/certs/issue.ts')
  const renewed = issueServingCertificate(
    { certPem: readFileSync(certs.caCert, 'utf8'), keyPem: readFileSync(join(dir, 'generated', 'ca.key'), 'utf8') },
    { dnsNames: ['localhost'], ipAddresses: ['::1'] },
  )
  writeFileSync(certs.key, renewed.keyPem)
  writeFileSync(certs.cert, renewed.certPem)
  let after = before
  for (let attempt = 0; attempt < 60 && after === before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    after = await serial()
  }
  t.not(after, before)
  await served.shutdown()
  t.equal(served.output().stdout, '', 'nothing at warn level or above was logged')
})
