// Who asks, read from the admission request's userInfo for identity-aware policies. The Tesla
// cryptojacking (RedLock, 2018) ran miners through an open dashboard: its service account, or
// system:anonymous, is the requester the API server names here.
import type { Requester } from '../engine/types.ts'
import type { UserInfo } from './types.ts'

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:'

/**
 * kube-controller-manager's controllers that create workloads for the user who created their
 * owner (kubernetes/kubernetes, cmd/kube-controller-manager; each runs as its own service
 * account with --use-service-account-credentials, else as system:kube-controller-manager).
 * The object's ownerReferences are never trusted for this: anyone can write them.
 */
const WORKLOAD_CONTROLLERS: ReadonlySet<string> = new Set(
  [
    'replicaset-controller',
    'replication-controller',
    'deployment-controller',
    'daemon-set-controller',
    'statefulset-controller',
    'job-controller',
    'cronjob-controller',
  ].map((name) => `kube-system:${name}`),
)
const CONTROLLER_MANAGER = 'system:kube-controller-manager'

function isString(value: unknown): value is string {
  return typeof value === 'string'
}

/** `namespace:name`, both non-empty and without a further colon, or undefined. */
function namespacedName(text: string): string | undefined {
  const colon = text.indexOf(':')
  return colon > 0 && colon < text.length - 1 && !text.includes(':', colon + 1) ? text : undefined
}

export function requesterOf(userInfo: UserInfo | undefined): Requester | undefined {
  const username = userInfo?.username
  if (typeof username !== 'string') return undefined
  const listed: unknown[] = Array.isArray(userInfo?.groups) ? userInfo.groups : []
  // The webhook's decoder already refused non-string groups: the list is then used as it is.
  const groups = listed.every(isString) ? (listed as string[]) : listed.filter(isString)
  const serviceAccount = username.startsWith(SERVICE_ACCOUNT_PREFIX) ? namespacedName(username.slice(SERVICE_ACCOUNT_PREFIX.length)) : undefined
  const viaController = username === CONTROLLER_MANAGER || (serviceAccount !== undefined && WORKLOAD_CONTROLLERS.has(serviceAccount))
  return { username, groups, serviceAccount, viaController }
}

/** The requester as the decision line and the audit annotation name it. */
export function describeRequester(requester: Requester): string {
  return requester.viaController ? `${requester.username} (a controller acting for its owner's creator)` : requester.username
}
