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

export function requesterOf(userInfo: UserInfo | undefined): Requester | undefined {
  const username = userInfo?.username
  if (typeof username !== 'string') return undefined
  const groups = Array.isArray(userInfo?.groups) ? userInfo.groups.filter((group): group is string => typeof group === 'string') : []
  const parts = username.startsWith(SERVICE_ACCOUNT_PREFIX) ? username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':') : []
  const serviceAccount = parts.length === 2 && parts[0] !== '' && parts[1] !== '' ? `${parts[0]}:${parts[1]}` : undefined
  const viaController = username === CONTROLLER_MANAGER || (serviceAccount !== undefined && WORKLOAD_CONTROLLERS.has(serviceAccount))
  return { username, groups, serviceAccount, viaController }
}

/** The requester as the decision line and the audit annotation name it. */
export function describeRequester(requester: Requester): string {
  return requester.viaController ? `${requester.username} (a controller acting for its owner's creator)` : requester.username
}
