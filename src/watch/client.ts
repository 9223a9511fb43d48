// The cluster connection of `watch`: scan's typed clients, plus custom objects (reports,
// PodMetrics), Leases and client-node's streaming Watch.
import { CoordinationV1Api, CustomObjectsApi, type KubeConfig, Watch } from '@kubernetes/client-node'
import { type ClusterClient, connect } from '../kube/cluster.ts'
import type { Watcher } from './informer.ts'

export interface WatchClient extends ClusterClient {
  custom: CustomObjectsApi
  coordination: CoordinationV1Api
  watcher: Watcher
}

export function connectForWatch(config: KubeConfig, idleTimeoutMs: number): WatchClient {
  const watch = new Watch(config)
  // A watch that sends nothing for this long is taken as lost and resumed.
  ;(watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = idleTimeoutMs
  return {
    ...connect(config),
    custom: config.makeApiClient(CustomObjectsApi),
    coordination: config.makeApiClient(CoordinationV1Api),
    watcher: watch as unknown as Watcher,
  }
}
