// Windows pods must get no Linux-only fields: the API server rejects securityContext
// capabilities and allowPrivilegeEscalation when spec.os.name is windows.
import type { V1PodSpec } from './kubernetes.ts'

export function isWindowsPod(spec: V1PodSpec): boolean {
  // A nodeSelector for Windows nodes means the same even where spec.os is left unset.
  return spec.os?.name === 'windows' || spec.nodeSelector?.['kubernetes.io/os'] === 'windows'
}
