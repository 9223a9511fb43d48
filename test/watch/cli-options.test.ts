import t from 'tap'
import { runCli } from '../helpers/cli.ts'

t.test('jackstop watch refuses flags it cannot read, before it connects', async (t) => {
  const cases = [
    ['--cpu-window', 'ten minutes', /JACKSTOP_ERR_WATCH_OPTION: --cpu-window "ten minutes" is not a duration such as 10m, 30s or 1m30s/],
    ['--cpu-cores', '-1', /JACKSTOP_ERR_WATCH_OPTION: --cpu-cores "-1" must be a positive number/],
    ['--port', '70000', /JACKSTOP_ERR_WATCH_OPTION: --port "70000" is not a port number/],
  ] as const
  const results = await Promise.all(cases.map(([flag, value]) => runCli(['watch', '--kubeconfig', '/nonexistent', flag, value])))
  for (const [index, [flag, , message]] of cases.entries()) {
    t.equal(results[index]?.code, 2, flag)
    t.match(results[index]?.stderr, message)
  }
  const remediation = await runCli(['watch', '--remediation', 'always'])
  t.match(remediation, { code: 2, stderr: /argument 'always' is invalid/ })
})
