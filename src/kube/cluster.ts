// A connection to a live cluster through @kubernetes/client-node: the kubeconfig (a file, the
// default locations) or the in-cluster service account.
import { AdmissionregistrationV1Api, AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, NetworkingV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node'

export interface ClusterClient {
  context: string
  server: string
  core: CoreV1Api
  apps: AppsV1Api
  batch: BatchV1Api
  rbac: RbacAuthorizationV1Api
  networking: NetworkingV1Api
  admission: AdmissionregistrationV1Api
}

export interface ConnectOptions {
  kubeconfig?: string | undefined
  context?: string | undefined
  inCluster?: boolean
}

export function loadKubeConfig(options: ConnectOptions): KubeConfig {
  const config = new KubeConfig()
  if (options.inCluster) config.loadFromCluster()
  else if (options.kubeconfig !== undefined) config.loadFromFile(options.kubeconfig)
  else config.loadFromDefault()
  if (options.context !== undefined) {
    const known = config.getContexts().map((context) => context.name)
    if (!known.includes(options.context)) throw new Error(`context "${options.context}" is not in the kubeconfig (it has: ${known.join(', ') || 'none'})`)
    config.setCurrentContext(options.context)
  }
  return config
}

export function connect(config: KubeConfig): ClusterClient {
  const cluster = config.getCurrentCluster()
  if (cluster === null) throw new Error(`the kubeconfig has no cluster for the context "${config.getCurrentContext()}"`)
  return {
    context: config.getCurrentContext(),
    server: cluster.server,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    batch: config.makeApiClient(BatchV1Api),
    rbac: config.makeApiClient(RbacAuthorizationV1Api),
    networking: config.makeApiClient(NetworkingV1Api),
    admission: config.makeApiClient(AdmissionregistrationV1Api),
  }
}
