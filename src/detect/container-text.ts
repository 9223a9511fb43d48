// Every string of a container a miner can hide in, expanded the way the kubelet expands
// `$(VAR)`: a pool split across env entries is whole again by the time it is scanned.
import type { V1Container } from '../workloads/kubernetes.ts'
import { expandVariables } from './signals.ts'

export interface ContainerText {
  field: string
  text: string
}

const HOOKS = ['postStart', 'preStop'] as const
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

export function containerTexts(container: V1Container): ContainerText[] {
  const texts: ContainerText[] = []
  const variables = new Map<string, string>()
  ;(container.env ?? []).forEach((entry, index) => {
    if (typeof entry?.value !== 'string') return
    // An env value sees the entries defined before it, as in the kubelet.
    const value = expandVariables(entry.value, variables)
    if (typeof entry.name === 'string') variables.set(entry.name, value)
    texts.push({ field: `env[${index}].value`, text: value })
  })
  const add = (field: string, list: unknown) => {
    const items = strings(list).map((text) => expandVariables(text, variables))
    items.forEach((text, index) => {
      // `-a` `rx/0` are two elements of args but one option: read a bare flag with its value.
      const next = items[index + 1]
      const withValue = /^--?[\w-]+$/.test(text) && next !== undefined ? `${text} ${next}` : text
      texts.push({ field: `${field}[${index}]`, text: withValue })
    })
  }
  add('command', container.command)
  add('args', container.args)
  for (const hook of HOOKS) add(`lifecycle.${hook}.exec.command`, container.lifecycle?.[hook]?.exec?.command)
  for (const probe of PROBES) add(`${probe}.exec.command`, container[probe]?.exec?.command)
  return texts
}

export function containerPorts(container: V1Container): { field: string; port: number }[] {
  return (container.ports ?? []).flatMap((port, index) => {
    const found = []
    if (typeof port?.containerPort === 'number') found.push({ field: `ports[${index}].containerPort`, port: port.containerPort })
    if (typeof port?.hostPort === 'number') found.push({ field: `ports[${index}].hostPort`, port: port.hostPort })
    return found
  })
}
