// Reloads what a running webhook is mounted with, without a restart: the policies directory
// (a ConfigMap) and the serving certificate (a Secret). Kubernetes updates both by swapping a
// `..data` symlink, so the directory is watched and every change is re-read whole.

import { X509Certificate } from 'node:crypto'
import { type FSWatcher, watch } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createSecureContext, type SecureContextOptions } from 'node:tls'
import type { Logger } from 'pino'
import { loadPolicySet } from '../policy/load.ts'
import type { JackstopMetrics } from './metrics.ts'
import type { ReloadablePolicyStore } from './policy-store.ts'

export interface Reloader {
  /** Re-reads now; resolves when the reload has been applied or refused. */
  reload(): Promise<boolean>
  close(): void
}

function closeAll(watchers: FSWatcher[]): void {
  for (const watcher of watchers) watcher.close()
}

/** Calls `onChange` once a burst of file events has settled. */
function watchDirectories(directories: string[], settleMs: number, onChange: () => void): FSWatcher[] {
  let timer: NodeJS.Timeout | undefined
  const changed = () => {
    clearTimeout(timer)
    timer = setTimeout(onChange, settleMs)
  }
  return [...new Set(directories)].map((directory) => watch(directory, { recursive: true }, changed))
}

export function watchPolicies(options: { dir: string; store: ReloadablePolicyStore; logger: Logger; metrics: JackstopMetrics; settleMs?: number }): Reloader {
  const { dir, store, logger, metrics } = options
  const reload = async () => {
    try {
      const next = await loadPolicySet(dir)
      store.replace(next)
      metrics.policyReloads.inc({ result: 'success' })
      logger.info({ policies: next.policies.map((policy) => policy.id) }, 'policies reloaded')
      return true
    } catch (error) {
      // The last good set keeps serving: a typo in a ConfigMap must not open the cluster.
      metrics.policyReloads.inc({ result: 'failure' })
      logger.error({ err: error }, 'policy reload refused; the last good policies keep serving')
      return false
    }
  }
  const watchers = watchDirectories([dir], options.settleMs ?? 250, () => void reload())
  return { reload, close: () => closeAll(watchers) }
}

export interface CertificateFiles {
  cert: string
  key: string
}

export function certificateExpiry(certPem: string): number {
  return Math.floor(new Date(new X509Certificate(certPem).validTo).getTime() / 1000)
}

export function watchCertificate(options: {
  files: CertificateFiles
  apply: (context: SecureContextOptions) => void
  contextOptions: (material: { cert: string; key: string }) => SecureContextOptions
  logger: Logger
  metrics: JackstopMetrics
  settleMs?: number
}): Reloader {
  const { files, logger, metrics } = options
  const reload = async () => {
    try {
      const material = { cert: await readFile(files.cert, 'utf8'), key: await readFile(files.key, 'utf8') }
      const context = options.contextOptions(material)
      // A certificate that does not match its key is refused here, not on the next handshake.
      createSecureContext(context)
      options.apply(context)
      metrics.certificateExpiry.set(certificateExpiry(material.cert))
      logger.info({ cert: files.cert }, 'serving certificate reloaded')
      return true
    } catch (error) {
      logger.error({ err: error, cert: files.cert }, 'certificate reload refused; the current certificate keeps serving')
      return false
    }
  }
  const watchers = watchDirectories([dirname(files.cert), dirname(files.key)], options.settleMs ?? 250, () => void reload())
  return { reload, close: () => closeAll(watchers) }
}
