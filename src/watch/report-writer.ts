// Keeps one report per namespace in the cluster equal to what the controller found: created
// when first needed, replaced when its results change, deleted when its namespace holds nothing
// any more. Unchanged results are not written again (timestamps aside), so a resync is free.
import type { CustomObjectsApi } from '@kubernetes/client-node'
import type { ReportFlavour } from '../report/policy-report.ts'

interface ReportDocument {
  metadata: { name: string; namespace?: string; resourceVersion?: string }
  summary: unknown
  results: { timestamp?: unknown }[]
}

const LOCATION: Record<ReportFlavour, { group: string; version: string; plural: string }> = {
  policyreport: { group: 'wgpolicyk8s.io', version: 'v1alpha2', plural: 'policyreports' },
  openreports: { group: 'openreports.io', version: 'v1alpha1', plural: 'reports' },
}
export const MANAGED_BY_SELECTOR = 'app.kubernetes.io/managed-by=jackstop'
export const reportName = (namespace: string) => `jackstop-${namespace}`

const codeOf = (error: unknown) => (error as { code?: number }).code

function fingerprint(document: ReportDocument): string {
  return JSON.stringify([document.summary, document.results.map(({ timestamp: _, ...rest }) => rest)])
}

export class ReportWriter {
  private readonly written = new Map<string, string>()
  private readonly api: CustomObjectsApi
  private readonly where: { group: string; version: string; plural: string }

  constructor(api: CustomObjectsApi, flavour: ReportFlavour) {
    this.api = api
    this.where = LOCATION[flavour]
  }

  /** Forget what was written, so the next write of each namespace goes to the API. */
  reset(): void {
    this.written.clear()
  }

  /** Namespaces that hold a report of ours: after a restart, the ones to check for staleness. */
  async existing(): Promise<string[]> {
    const list = (await this.api.listClusterCustomObject({ ...this.where, labelSelector: MANAGED_BY_SELECTOR })) as { items?: ReportDocument[] }
    /* c8 ignore next: the API server always sets items on a list */
    return (list.items ?? []).map((item) => item.metadata.namespace).filter((namespace): namespace is string => namespace !== undefined)
  }

  /** Writes the namespace's report, or deletes it when `document` is undefined; true if it wrote. */
  async write(namespace: string, document: ReportDocument | undefined): Promise<boolean> {
    const name = reportName(namespace)
    if (document === undefined) {
      if (this.written.get(namespace) === '') return false
      try {
        await this.api.deleteNamespacedCustomObject({ ...this.where, namespace, name })
      } catch (error) {
        if (codeOf(error) !== 404) throw error
      }
      this.written.set(namespace, '')
      return true
    }
    const print = fingerprint(document)
    if (this.written.get(namespace) === print) return false
    try {
      await this.api.createNamespacedCustomObject({ ...this.where, namespace, body: document })
    } catch (error) {
      if (codeOf(error) !== 409) throw error
      // It exists: replace it at the version read, so a concurrent writer makes this fail and retry.
      const current = (await this.api.getNamespacedCustomObject({ ...this.where, namespace, name })) as ReportDocument
      const body = { ...document, metadata: { ...document.metadata, resourceVersion: current.metadata.resourceVersion } }
      await this.api.replaceNamespacedCustomObject({ ...this.where, namespace, name, body })
    }
    this.written.set(namespace, print)
    return true
  }
}
