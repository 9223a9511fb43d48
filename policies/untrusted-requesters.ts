// Refuses workloads asked for by nobody (system:anonymous, system:unauthenticated) or by the
// service account of a dashboard, the door of the Tesla cryptojacking. Controllers acting for
// a user are judged by the object they create, never refused here. Judges nothing where no
// one asks (check, scan).
import type { PodValidationPolicy } from 'jackstop/policy'

interface UntrustedRequestersData {
  usernames: { name: string; why: string }[]
  groups: { name: string; why: string }[]
  serviceAccounts: { account: string; product: string; source: string }[]
}

const reason = {
  type: 'object',
  required: ['name', 'why'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1 }, why: { type: 'string', minLength: 1 } },
}

export default {
  id: 'untrusted-requesters',
  description: 'Refuses workloads created or changed by system:anonymous, system:unauthenticated or a dashboard service account listed in the data.',
  severity: 'critical',
  action: 'deny',
  target: 'pod',
  mode: 'validate',
  data: 'untrusted-requesters.yaml',
  dataSchema: {
    type: 'object',
    required: ['usernames', 'groups', 'serviceAccounts'],
    additionalProperties: false,
    properties: {
      usernames: { type: 'array', items: reason },
      groups: { type: 'array', items: reason },
      serviceAccounts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['account', 'product', 'source'],
          additionalProperties: false,
          properties: {
            account: { type: 'string', pattern: '^[^:\\s]+:[^:\\s]+$' },
            product: { type: 'string', minLength: 1 },
            source: { type: 'string', minLength: 1 },
          },
        },
      },
    },
  },
  prepare: ({ data }) => {
    const usernames = new Map(data.usernames.map((entry) => [entry.name, entry.why]))
    const groups = new Map(data.groups.map((entry) => [entry.name, entry.why]))
    const accounts = new Map(data.serviceAccounts.map((entry) => [entry.account, entry]))
    return (_spec, { requester }) => {
      if (requester === undefined || requester.viaController) return []
      const who = `requested by ${requester.username}`
      const byName = usernames.get(requester.username)
      if (byName !== undefined) return [{ message: `${who}: ${byName}` }]
      const group = requester.groups.find((name) => groups.has(name))
      if (group !== undefined) return [{ message: `${who} (group ${group}): ${groups.get(group)}` }]
      if (requester.serviceAccount === undefined) return []
      const name = requester.serviceAccount.slice(requester.serviceAccount.indexOf(':') + 1)
      const dashboard = accounts.get(requester.serviceAccount) ?? accounts.get(`*:${name}`)
      if (dashboard === undefined) return []
      return [{ message: `${who}, the service account of ${dashboard.product}: a dashboard's own account must not start workloads (${dashboard.source})` }]
    }
  },
} satisfies PodValidationPolicy<UntrustedRequestersData>
