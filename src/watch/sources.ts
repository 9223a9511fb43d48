// What the controller watches: the kinds `scan` lists (pods, their controllers, ConfigMaps),
// cluster-wide or one informer per namespace, each with the path its watch streams from.
import type { ClusterClient } from '../kube/cluster.ts'
import { LISTED_KINDS } from '../kube/list.ts'
import type { InformerSource } from './informer.ts'

function collectionPath(apiVersion: string, plural: string, namespace: string | undefined): string {
  const prefix = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`
  return namespace === undefined ? `${prefix}/${plural}` : `${prefix}/namespaces/${namespace}/${plural}`
}

/** One source per kind, or per kind and namespace with `--namespaces`. */
export function watchedSources(client: ClusterClient, namespaces: readonly string[] | undefined): InformerSource[] {
  const scopes = namespaces === undefined || namespaces.length === 0 ? [undefined] : namespaces
  return LISTED_KINDS.flatMap((listed) =>
    scopes.map((namespace) => ({
      kind: listed.kind,
      apiVersion: listed.apiVersion,
      label: namespace === undefined ? listed.plural : `${listed.plural} in ${namespace}`,
      list: (params: { limit: number; _continue?: string }) =>
        namespace === undefined ? listed.all(client, params) : listed.namespaced(client, namespace, params),
      watchPath: collectionPath(listed.apiVersion, listed.plural, namespace),
    })),
  )
}
