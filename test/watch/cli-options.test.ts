import t from 'tap'
import { runCli } from '../helpers/cli.ts'

t.test('jackstop watch refuses flags it cannot read, before it connects', async (t) => {
  const cases = [
    ['--cpu-window', 'ten minutes', /^jackstop: JACKSTOP_ERR_WATCH_OPTION: --cpu-window "ten minutes" is not a duration such as 10m, 30s or 1m30s/],
    ['--lease-duration', '15', /JACKSTOP_ERR_WATCH_OPTION: --lease-duration "15" is not a duration/],
    ['--cpu-cores', '-1', /JACKSTOP_ERR_WATCH_OPTION: --cpu-cores "-1" must be a positive number/],
    ['--cpu-cores', '', /JACKSTOP_ERR_WATCH_OPTION: --cpu-cores "" must be a positive number/],
    ['--port', '70000', /JACKSTOP_ERR_USAGE: --port must be a whole number from 0 to 65535, not "70000"/],
    ['--page-size', '1.5', /JACKSTOP_ERR_USAGE: --page-size must be a whole number of at least 1, not "1.5"/],
  ] as const
  const results = await Promise.all(cases.map(([flag, value]) => runCli(['watch', '--kubeconfig', '/nonexistent', flag, value])))
  for (const [index, [flag, , message]] of cases.entries()) {
    t.equal(results[index]?.code, 2, flag)
    t.match(results[index]?.stderr, message)
    t.equal(results[index]?.stdout, '', `${flag}: nothing started`)
  }
  const remediation = await runCli(['watch', '--remediation', 'always'])
  t.match(remediation, { code: 2, stderr: /argument 'always' is invalid/ })
})

t.test('jackstop watch reads its port from the environment it is given, as strictly as the flag', async (t) => {
  const port = await runCli(['watch', '--kubeconfig', '/nonexistent'], { env: { JACKSTOP_WATCH_PORT: '80a' } })
  t.match(port, { code: 2, stderr: /^jackstop: JACKSTOP_ERR_USAGE: JACKSTOP_WATCH_PORT: --port must be a whole number from 0 to 65535, not "80a"/ })
})

t.test('jackstop watch --help lists the environment variables beside the flags and the durations as written', async (t) => {
  const help = await runCli(['watch', '--help'])
  t.equal(help.code, 0)
  for (const shown of [
    /--kubeconfig <file>.*\(env: KUBECONFIG\)/,
    /--port <port>.*\(default: 8080\) \(env: JACKSTOP_WATCH_PORT\)/,
    /--own-namespace.*\(env: POD_NAMESPACE\)/,
    /--cpu-window <duration>.*\(default: 10m\)/,
  ])
    t.match(help.stdout.replace(/\n\s+/g, ' '), shown)
})
