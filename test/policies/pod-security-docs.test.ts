import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { DEFAULT_POLICIES } from '../helpers/server.ts'

// docs/pod-security.md promises the reason for every entry: an entry added to the data without
// a line in the docs fails here.
const docs = readFileSync(new URL('../../docs/pod-security.md', import.meta.url), 'utf8')
const data = (file: string) => parse(readFileSync(`${DEFAULT_POLICIES}data/${file}`, 'utf8'))

const hostEscapes = data('host-escapes.yaml') as {
  hostPaths: { refused: { path: string }[]; readOnly: { path: string }[] }
  capabilities: { dangerous: string[] }
}
const baseline = data('pod-security-baseline.yaml') as { checks: Record<string, string> }
const requesters = data('untrusted-requesters.yaml') as { usernames: { name: string }[]; groups: { name: string }[]; serviceAccounts: { account: string }[] }

const documented: [string, string[]][] = [
  ['refused host path', hostEscapes.hostPaths.refused.map((entry) => `\`${entry.path}\``)],
  ['read-only host path', hostEscapes.hostPaths.readOnly.map((entry) => `\`${entry.path}\``)],
  ['dangerous capability', hostEscapes.capabilities.dangerous.map((name) => `\`${name}\``)],
  ['Pod Security check', Object.keys(baseline.checks).map((check) => `\`${check}\``)],
  ['refused requester', [...requesters.usernames, ...requesters.groups].map((entry) => `\`${entry.name}\``)],
  ['refused service account', requesters.serviceAccounts.map((entry) => `\`${entry.account}\``)],
]

for (const [kind, entries] of documented) {
  t.test(`every ${kind} in the data is documented in docs/pod-security.md`, async (t) => {
    t.same(
      entries.filter((entry) => !docs.includes(entry)),
      [],
    )
  })
}
