// The shape an object must have to be a valid object of the kind the API server says it reviews
// (request.kind, never object.kind). Policies read these fields; a pod whose `spec` is an array
// or whose `containers` is a number cannot be judged, so it is refused rather than admitted
// unchecked (issue 10: 2,482 fuzzed privileged xmrig pods were admitted that way).
// Only types are checked, along the fields policies read; values are the policies' business.
import { jsonTypeOf } from './describe-value.ts'

type Leaf = 'string' | 'boolean' | 'integer' | 'quantity' | 'object'
type Shape = Leaf | ObjectShape | ListShape | MapShape
interface ObjectShape {
  fields: Readonly<Record<string, Shape>>
  required: readonly string[]
}
interface ListShape {
  list: Shape
}
interface MapShape {
  map: Shape
}

const object = (fields: Record<string, Shape>, ...required: string[]): ObjectShape => ({ fields, required })
const list = (shape: Shape): ListShape => ({ list: shape })
const map = (shape: Shape): MapShape => ({ map: shape })

const strings = list('string')
const named = object({ name: 'string' })
// Lifecycle hooks and probes run commands in the container: a miner's downloader fits there too.
const handler = object({ exec: object({ command: strings }) })
const seccompProfile = object({ type: 'string', localhostProfile: 'string' })
const seLinuxOptions = object({ user: 'string', role: 'string', type: 'string', level: 'string' })
const windowsOptions = object({ hostProcess: 'boolean', runAsUserName: 'string' })

const containerSecurityContext = object({
  privileged: 'boolean',
  allowPrivilegeEscalation: 'boolean',
  readOnlyRootFilesystem: 'boolean',
  runAsNonRoot: 'boolean',
  runAsUser: 'integer',
  runAsGroup: 'integer',
  procMount: 'string',
  capabilities: object({ add: strings, drop: strings }),
  seccompProfile,
  appArmorProfile: seccompProfile,
  seLinuxOptions,
  windowsOptions,
})

const resources = object({ limits: map('quantity'), requests: map('quantity'), claims: list(named) })

const container = object(
  {
    name: 'string',
    image: 'string',
    imagePullPolicy: 'string',
    command: strings,
    args: strings,
    workingDir: 'string',
    env: list(object({ name: 'string', value: 'string', valueFrom: 'object' }, 'name')),
    envFrom: list(object({ prefix: 'string', configMapRef: named, secretRef: named })),
    ports: list(object({ name: 'string', containerPort: 'integer', hostPort: 'integer', hostIP: 'string', protocol: 'string' })),
    resources,
    securityContext: containerSecurityContext,
    volumeMounts: list(object({ name: 'string', mountPath: 'string', subPath: 'string', readOnly: 'boolean', mountPropagation: 'string' })),
    volumeDevices: list(object({ name: 'string', devicePath: 'string' })),
    lifecycle: object({ postStart: handler, preStop: handler }),
    livenessProbe: handler,
    readinessProbe: handler,
    startupProbe: handler,
    restartPolicy: 'string',
    stdin: 'boolean',
    tty: 'boolean',
    targetContainerName: 'string',
  },
  'name',
)

const keyToPath = list(object({ key: 'string', path: 'string' }))
const volume = object(
  {
    name: 'string',
    hostPath: object({ path: 'string', type: 'string' }, 'path'),
    configMap: object({ name: 'string', items: keyToPath }),
    secret: object({ secretName: 'string', items: keyToPath }),
    emptyDir: object({ medium: 'string', sizeLimit: 'quantity' }),
    persistentVolumeClaim: object({ claimName: 'string', readOnly: 'boolean' }),
    projected: object({ sources: list('object') }),
    csi: object({ driver: 'string' }),
    downwardAPI: 'object',
    ephemeral: 'object',
    image: object({ reference: 'string' }),
  },
  'name',
)

const podSpec = object(
  {
    containers: list(container),
    initContainers: list(container),
    ephemeralContainers: list(container),
    volumes: list(volume),
    securityContext: object({
      runAsUser: 'integer',
      runAsGroup: 'integer',
      runAsNonRoot: 'boolean',
      fsGroup: 'integer',
      supplementalGroups: list('integer'),
      sysctls: list(object({ name: 'string', value: 'string' })),
      seccompProfile,
      appArmorProfile: seccompProfile,
      seLinuxOptions,
      windowsOptions,
    }),
    hostPID: 'boolean',
    hostIPC: 'boolean',
    hostNetwork: 'boolean',
    hostUsers: 'boolean',
    shareProcessNamespace: 'boolean',
    automountServiceAccountToken: 'boolean',
    serviceAccountName: 'string',
    serviceAccount: 'string',
    nodeName: 'string',
    nodeSelector: map('string'),
    runtimeClassName: 'string',
    priorityClassName: 'string',
    schedulerName: 'string',
    restartPolicy: 'string',
    dnsPolicy: 'string',
    hostname: 'string',
    subdomain: 'string',
    os: object({ name: 'string' }),
    tolerations: list('object'),
    affinity: 'object',
    hostAliases: list(object({ ip: 'string', hostnames: strings })),
    dnsConfig: object({ nameservers: strings, searches: strings, options: list('object') }),
    imagePullSecrets: list(named),
    overhead: map('quantity'),
    resources,
    priority: 'integer',
    activeDeadlineSeconds: 'integer',
    terminationGracePeriodSeconds: 'integer',
  },
  'containers',
)

const metadata = object({
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  uid: 'string',
  labels: map('string'),
  annotations: map('string'),
  ownerReferences: list(object({ apiVersion: 'string', kind: 'string', name: 'string', uid: 'string', controller: 'boolean' })),
  finalizers: strings,
  managedFields: list('object'),
})

const podTemplate = object({ metadata, spec: podSpec }, 'spec')
const templated = object({ replicas: 'integer', selector: 'object', template: podTemplate }, 'template')
// The API server always sends metadata (a name or generateName at least); without it the object
// did not come from the API server, or its fields were shifted under another key.
const topLevel = (fields: Record<string, Shape>, ...required: string[]) =>
  object({ apiVersion: 'string', kind: 'string', metadata, ...fields }, 'metadata', ...required)

const templatedWorkload = topLevel({ spec: templated }, 'spec')

/** One shape per reviewed kind (supported-kinds.ts): what its policies read. */
const SHAPES: Readonly<Record<string, ObjectShape>> = {
  Pod: topLevel({ spec: podSpec }, 'spec'),
  Deployment: templatedWorkload,
  ReplicaSet: templatedWorkload,
  StatefulSet: templatedWorkload,
  DaemonSet: templatedWorkload,
  Job: templatedWorkload,
  ReplicationController: templatedWorkload,
  PodTemplate: topLevel({ template: podTemplate }, 'template'),
  CronJob: topLevel({ spec: object({ schedule: 'string', jobTemplate: object({ metadata, spec: templated }, 'spec') }, 'jobTemplate') }, 'spec'),
  ConfigMap: topLevel({ data: map('string'), binaryData: map('string'), immutable: 'boolean' }),
}

/** Kinds with a shape; a kind without one has nothing jackstop can judge. */
export const SHAPED_KINDS: readonly string[] = Object.keys(SHAPES)

const EXPECTED: Readonly<Record<Leaf, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  integer: 'an integer',
  quantity: 'a quantity (a string or a number)',
  object: 'an object',
}

type Segment = string | number

function pathOf(segments: readonly Segment[]): string {
  let path = ''
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`
    else if (segment.startsWith('[')) path += segment
    else path += path === '' ? segment : `.${segment}`
  }
  return path === '' ? 'the object' : path
}

/** Where the object is wrong (`spec.containers[0].env`) and the sentence that says how. */
export interface ShapeProblem {
  path: string
  message: string
}

function wrongType(segments: readonly Segment[], expected: string, value: unknown): ShapeProblem {
  const path = pathOf(segments)
  return { path, message: `${path} must be ${expected}, got ${jsonTypeOf(value)}` }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function leafFits(leaf: Leaf, value: unknown): boolean {
  switch (leaf) {
    case 'string':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'integer':
      return Number.isSafeInteger(value)
    case 'quantity':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
    case 'object':
      return isPlainObject(value)
  }
}

/** The first problem found, walking only the fields the shape names (linear in their size). */
function problemAt(value: unknown, shape: Shape, segments: Segment[]): ShapeProblem | undefined {
  if (typeof shape === 'string') return leafFits(shape, value) ? undefined : wrongType(segments, EXPECTED[shape], value)
  if ('list' in shape) {
    if (!Array.isArray(value)) return wrongType(segments, 'a list', value)
    for (let index = 0; index < value.length; index++) {
      segments.push(index)
      const problem = problemAt(value[index], shape.list, segments)
      segments.pop()
      if (problem !== undefined) return problem
    }
    return undefined
  }
  if (!isPlainObject(value)) return wrongType(segments, 'an object', value)
  if ('map' in shape) {
    for (const key of Object.keys(value)) {
      segments.push(`[${JSON.stringify(key)}]`)
      const problem = problemAt(value[key], shape.map, segments)
      segments.pop()
      if (problem !== undefined) return problem
    }
    return undefined
  }
  for (const field of shape.required) {
    if (Object.hasOwn(value, field)) continue
    const path = pathOf([...segments, field])
    return { path, message: `${path} is required` }
  }
  for (const field in shape.fields) {
    if (!Object.hasOwn(value, field)) continue
    segments.push(field)
    const problem = problemAt(value[field], shape.fields[field] as Shape, segments)
    segments.pop()
    if (problem !== undefined) return problem
  }
  return undefined
}

type Fits = (value: unknown) => boolean

/** A leaf test as a JavaScript expression over the variable `v`, for the generated checks below. */
const LEAF_TEST: Readonly<Record<Leaf, (v: string) => string>> = {
  string: (v) => `typeof ${v} === 'string'`,
  boolean: (v) => `typeof ${v} === 'boolean'`,
  integer: (v) => `Number.isSafeInteger(${v})`,
  quantity: (v) => `(typeof ${v} === 'string' || (typeof ${v} === 'number' && Number.isFinite(${v})))`,
  object: (v) => `(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}))`,
}

type Composite = Exclude<Shape, Leaf>

/** Shapes the table uses in more than one place (a container, a probe handler, metadata): each becomes one shared function. */
function sharedShapes(roots: readonly Shape[]): Set<Composite> {
  const uses = new Map<Composite, number>()
  const visit = (shape: Shape): void => {
    if (typeof shape === 'string') return
    const count = (uses.get(shape) ?? 0) + 1
    uses.set(shape, count)
    if (count > 1) return
    if ('list' in shape) visit(shape.list)
    else if ('map' in shape) visit(shape.map)
    else for (const field in shape.fields) visit(shape.fields[field] as Shape)
  }
  for (const root of roots) visit(root)
  return new Set([...uses].filter(([, count]) => count > 1).map(([shape]) => shape))
}

/**
 * The same shape as a yes/no check, run on every review: generated code with every shape used
 * once inlined into its parent (an env entry is checked inside the env loop, with no call per
 * entry) and each shape used in several places compiled once and called. Fields are read by name,
 * so a property load stays monomorphic per site (env entries all look alike), and a valid object
 * allocates nothing. The source is built only from the SHAPES table above, never from anything a
 * request carries. A missing field reads as undefined (decoded JSON holds no undefined, and no
 * shape field is a name Object.prototype carries, asserted here). Only an object that fails it is
 * walked again by problemAt to name the path.
 */
function compileAll(shapes: Readonly<Record<string, ObjectShape>>): Map<string, Fits> {
  const shared = sharedShapes(Object.values(shapes))
  const helpers: Fits[] = []
  const helperOf = new Map<Composite, number>()
  let names = 0
  const fresh = (prefix: string) => `${prefix}${names++}`
  /** Statements that `return false` unless the value in variable `v` fits `shape`. */
  const check = (shape: Shape, v: string, inline = false): string => {
    if (typeof shape === 'string') return `if (!(${LEAF_TEST[shape](v)})) return false;`
    if (shared.has(shape) && !inline) return `if (!helpers[${helperFor(shape)}](${v})) return false;`
    if ('list' in shape) {
      const index = fresh('i')
      const item = fresh('v')
      return `if (!Array.isArray(${v})) return false;
        for (let ${index} = 0; ${index} < ${v}.length; ${index}++) { const ${item} = ${v}[${index}]; ${check(shape.list, item)} }`
    }
    const isObject = `if (!(${LEAF_TEST.object(v)})) return false;`
    if ('map' in shape) {
      const key = fresh('k')
      const item = fresh('v')
      return `${isObject} for (const ${key} in ${v}) { const ${item} = ${v}[${key}]; ${check(shape.map, item)} }`
    }
    const lines = [isObject]
    for (const field of shape.required) lines.push(`if (${v}[${JSON.stringify(field)}] === undefined) return false;`)
    for (const [field, fieldShape] of Object.entries(shape.fields)) {
      /* c8 ignore next: guards the table above; no shipped shape names such a field */
      if (field in Object.prototype) throw new Error(`shape field ${field} is a name Object.prototype carries`)
      const item = fresh('v')
      lines.push(`{ const ${item} = ${v}[${JSON.stringify(field)}]; if (${item} !== undefined) { ${check(fieldShape, item)} } }`)
    }
    return lines.join('\n')
  }
  const build = (shape: Composite): Fits => new Function('helpers', `return (value) => { ${check(shape, 'value', true)} return true }`)(helpers) as Fits
  function helperFor(shape: Composite): number {
    let index = helperOf.get(shape)
    if (index === undefined) {
      // Numbered before it is built: building it numbers the shared shapes inside it.
      index = helperOf.size
      helperOf.set(shape, index)
      helpers[index] = build(shape)
    }
    return index
  }
  return new Map(Object.entries(shapes).map(([kind, shape]) => [kind, build(shape)]))
}

const COMPILED: ReadonlyMap<string, Fits> = compileAll(SHAPES)

/**
 * The path-naming walk alone, without the generated check in front of it. Exported so that
 * tests hold the generated check to it: the two must agree on every object.
 */
export function shapeProblemByWalk(kind: string, object: unknown): ShapeProblem | undefined {
  const shape = SHAPES[kind]
  return shape === undefined ? undefined : problemAt(object, shape, [])
}

/**
 * Why `object` cannot be a valid object of `kind` (`spec.containers[0].env must be a list, got
 * object`), or undefined when its shape fits. Never calls anything the object carries.
 */
export function objectShapeProblem(kind: string, object: unknown): ShapeProblem | undefined {
  const shape = SHAPES[kind]
  if (shape === undefined) return { path: 'kind', message: `jackstop has no shape for ${kind}` }
  if (!(COMPILED.get(kind) as Fits)(object)) {
    /* c8 ignore next: the two walks check the same rules; should they ever disagree, the object is still refused */
    return problemAt(object, shape, []) ?? { path: 'the object', message: `the object does not fit the shape of a ${kind}` }
  }
  const declared = (object as Record<string, unknown>).kind
  if (declared !== undefined && declared !== kind)
    return { path: 'kind', message: `kind is ${JSON.stringify(declared)} but the API server reviews it as ${kind}` }
  return undefined
}
