// `jackstop undo`: reads the record a remediation left on the object and reverses it.

import { UndoError } from '../errors.ts'
import type { ClusterClient } from '../kube/cluster.ts'
import { KIND_APIS, readObject } from './api.ts'
import { undoQuarantine } from './quarantine.ts'
import { REMEDIATION_ANNOTATION, type RemediationTarget, recordOf, targetLabel } from './record.ts'
import { undoScaleToZero } from './scale-to-zero.ts'

const KIND_NAMES = new Map(Object.keys(KIND_APIS).map((kind) => [kind.toLowerCase(), kind]))
KIND_NAMES.set('deploy', 'Deployment').set('sts', 'StatefulSet').set('rs', 'ReplicaSet').set('rc', 'ReplicationController').set('ds', 'DaemonSet')
KIND_NAMES.set('cj', 'CronJob').set('po', 'Pod')
for (const kind of Object.keys(KIND_APIS)) KIND_NAMES.set(`${kind.toLowerCase()}s`, kind)

/** `deployment/stats` (kubectl's spelling, short names and plurals too) -> kind and name. */
export function parseTarget(reference: string, namespace: string): RemediationTarget {
  const [kindName, name, extra] = reference.split('/')
  /* c8 ignore next: split always yields a first element; the ?? only satisfies noUncheckedIndexedAccess */
  const kind = KIND_NAMES.get((kindName ?? '').toLowerCase())
  if (kind === undefined || name === undefined || name === '' || extra !== undefined) {
    throw new UndoError(`"${reference}" is not KIND/NAME with a kind jackstop remediates (${Object.keys(KIND_APIS).join(', ')})`)
  }
  return { kind, name, namespace }
}

export async function undo(client: ClusterClient, target: RemediationTarget): Promise<string> {
  const object = await readObject(client, target.kind, { name: target.name, namespace: target.namespace })
  const done = recordOf(object)
  if (done === undefined)
    throw new UndoError(`${targetLabel(target)} has no ${REMEDIATION_ANNOTATION} annotation: jackstop did not change it, or it was undone already`)
  if (done.action === 'quarantine') return undoQuarantine(client, target)
  if (done.action === 'scale-to-zero') return undoScaleToZero(client, target, object, done)
  throw new UndoError(`${targetLabel(target)} was changed by "${done.action}", which leaves nothing to undo`)
}
