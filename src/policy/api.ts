// The policy author's API, published as `jackstop/policy`: everything a TypeScript policy may
// name, and nothing of jackstop's internals. Import it with `import type` only: a policies
// directory mounted from a ConfigMap has no jackstop package beside it, so helpers reach a
// policy at run time through the `kit` argument of `prepare`, typed here as `PolicyKit`.
// docs/policies.md is the guide; this file is the reference.

import type { compileHostPathRules } from '../detect/host-paths.ts'
import type { ImageRef } from '../detect/image-ref.ts'
import type { UpstreamAliases } from '../detect/image-upstream.ts'
import type { InstallerDownload } from '../detect/installer-urls.ts'
import type { PackageIndex } from '../detect/malicious-packages.ts'
import type { MinerConfigSigns } from '../detect/miner-config.ts'
import type { GrammarLists } from '../detect/miner-grammar.ts'
import type { PackageInstall } from '../detect/package-installs.ts'
import type { ReviewBudget } from '../detect/review-budget.ts'
import type { Scoring, Signal, SignalLists } from '../detect/signals.ts'
import type { PodContext, Violation } from '../engine/types.ts'
import type { InstallerEntry, PackageEntry, Provenance } from '../intel/types.ts'
import type { V1Container, V1PodSpec } from '../workloads/kubernetes.ts'
import type { Quantity } from '../workloads/quantity.ts'

export type { HostPathMount, HostPathRule, HostPathRules, HostPathVerdict, ReadOnlyRule } from '../detect/host-paths.ts'
export type { ImageRef } from '../detect/image-ref.ts'
export type { UpstreamAliases } from '../detect/image-upstream.ts'
export type { InstallerDownload } from '../detect/installer-urls.ts'
export type { PackageIndex } from '../detect/malicious-packages.ts'
export type { MinerConfigSigns } from '../detect/miner-config.ts'
export type { GrammarLists } from '../detect/miner-grammar.ts'
export type { PackageInstall } from '../detect/package-installs.ts'
export type { ReviewBudget } from '../detect/review-budget.ts'
export type { Scoring, Signal, SignalKind, SignalLists } from '../detect/signals.ts'
export type {
  Action,
  ConfigMapContext,
  ConfigMapValidator,
  ContainerContext,
  ContainerMutator,
  ContainerValidator,
  PodContext,
  PodMutator,
  PodValidator,
  Requester,
  Severity,
  Violation,
} from '../engine/types.ts'
export type {
  AccountEntry,
  DigestEntry,
  ImageEntry,
  InstallerEntry,
  Intel,
  PackageEntry,
  PoolEntry,
  ProgramEntry,
  Provenance,
} from '../intel/types.ts'
export type { ConfigMapSubject } from '../workloads/config-maps.ts'
export type { V1ConfigMap, V1Container, V1ObjectMeta, V1PodSpec } from '../workloads/kubernetes.ts'
export type { ContainerList, ContainerSubject, PodSpecSubject } from '../workloads/pod-specs.ts'
export type { Quantity } from '../workloads/quantity.ts'
export type {
  ConfigMapValidationPolicy,
  ContainerMutationPolicy,
  ContainerValidationPolicy,
  PodMutationPolicy,
  PodValidationPolicy,
  PolicyHeader,
  PrepareInput,
} from './definition.ts'

/** A string a container carries, with the field it sits in relative to the container. */
export interface FieldText {
  /** e.g. `args[3]`, `env[2].value`, `lifecycle.postStart.exec.command[1]` */
  field: string
  text: string
  /** A mounted ConfigMap file the container does not run: read it for a miner config only, not as a script (docs/detection.md). */
  configOnly?: boolean
}

/**
 * The helpers handed to `prepare({ data, kit })`. All are pure and linear in their input, so a
 * policy built from them stays within the engine's time bound. Read-only (frozen at run time).
 */
export type PolicyKit = Readonly<KitHelpers>

interface KitHelpers {
  /** `nginx` -> `{ registry: 'docker.io', repository: 'library/nginx', name: 'docker.io/library/nginx', ... }`, as the runtime resolves it. */
  normaliseImageRef(reference: string): ImageRef
  /** Compiles Docker Hub aliases and proxy prefixes once; the resolver reduces a reference to the upstream it names. */
  compileUpstreamResolver(aliases: UpstreamAliases): (reference: string) => ImageRef
  /** Compiles whole-word matching for a word list once; the matcher returns the first word found in a text. */
  tokenMatcher(words: readonly string[]): (text: string) => string | undefined
  /** Host path rules compiled once: paths normalised, judged by what they are, hold or lie under. */
  hostPaths: Readonly<{ compile: typeof compileHostPathRules }>
  /** True when the pod runs on Windows nodes, where Linux-only fields must not be set. */
  isWindowsPod(spec: V1PodSpec): boolean
  /** Threat intelligence helpers: every entry carries its provenance. */
  intel: Readonly<{
    /** How a denial cites an entry: `Unit 42, 2024-03`. */
    citation(entry: Provenance): string
  }>
  /** Downloads from where miner installers are published (intel `installers`, docs/intel.md). */
  installers: Readonly<{
    /** Compiles the entries once; the finder returns each entry the texts download from (give it the scanner's decoded payloads too). */
    compile(entries: readonly InstallerEntry[]): (texts: readonly FieldText[]) => InstallerDownload[]
  }>
  /** Packages installed by a command line, and intel's known-malicious versions. */
  packages: Readonly<{
    /** Every package a shell-like text installs (`pip install x==1`, `npm i x@1`, `go install m@v1` ...). */
    installs(text: string): PackageInstall[]
    /**
     * Compiles the intel entries once; the index, called with an install, returns the entry it
     * matches, and its `mayMatchIn(texts)` is false when no command line of those texts can install a listed package;
     * `placesToLook(texts)` says that for the command lines and whether a decoded payload may hold one.
     */
    compileIndex(entries: readonly PackageEntry[]): PackageIndex
    /** How a denial names an install: `ultralytics 8.3.41 (PyPI)`. */
    describe(install: PackageInstall): string
  }>
  /** Kubernetes resource quantities, compared exactly (`2` equals `2000m`). */
  quantity: Readonly<{
    /** undefined when the text is not a quantity. */
    parse(text: string | number): Quantity | undefined
    /** Negative, zero or positive, like a sort comparator. */
    compare(a: Quantity, b: Quantity): number
    /** The canonical form `kubectl get -o yaml` would show. */
    format(quantity: Quantity): string
    isValid(text: unknown): text is string | number
  }>
  /** The miner-signal scanner that the shipped miner policies are built from (docs/detection.md). */
  signals: Readonly<{
    /** Compiles the lists once into a scanner that adds every sign found in the texts to `found`. */
    /** `decoded`, when given, receives the payloads the scanner decoded (base64, hex …), each with its field. */
    compileScanner(lists: SignalLists): (texts: readonly FieldText[], found: Signal[], budget: ReviewBudget, decoded?: FieldText[]) => void
    /** Throws unless the data gives every signal kind a weight and names no unknown kind (call it in prepare). */
    checkScoring(scoring: { weights: object; needsCompany: readonly string[]; repeatable: object; configMapWeights?: object }): void
    /** Scores the signs found and returns at most one violation, softened to `warn` below the deny threshold. */
    violations(found: readonly Signal[], scoring: Scoring): Violation[]
    /** Compiles the miner command-line grammars once (xmrig, xmr-stak, cpuminer, lolMiner, SRBMiner ...); reports a quote per miner command line. */
    compileGrammar(lists: GrammarLists): (text: string, report: (quote: string) => void) => boolean
    /**
     * Every string a container carries (command, args, env, probes, hooks), each with its field;
     * given the policy's context, also env values and mounted files taken from the pod's
     * annotations, labels and the ConfigMaps of the same review, and shell-expanded `$A$B` joins.
     */
    containerTexts(container: V1Container, context?: PodContext): FieldText[]
    /**
     * The texts of `containerTexts` as command lines: command and args joined, each hook and probe
     * list joined, env values alone.
     */
    commandLines(texts: readonly FieldText[]): FieldText[]
    /**
     * Calls `read` with each line `commandLines` would list, in its order, without building the
     * list; returns, by line index, true where `read` did (unset reads as false): `connects` for `markDataContext`.
     */
    readCommandLines(texts: readonly FieldText[], read: (line: FieldText) => boolean): boolean[]
    /**
     * The payloads the texts carry, decoded (base64, hex, gzip inside base64, printf escapes,
     * reversed text), each with its field (`args[0] (base64-decoded)`): the ones the scanner reads.
     * Decoded once per review for a container's texts, whoever asks first, and charged to the budget then.
     */
    decodedTexts(texts: readonly FieldText[], context: { budget: ReviewBudget }): readonly FieldText[]
    /** Marks the name-like signals found in text about miners (a detection tool's arguments, a block list, prose) so they weigh nothing. */
    markDataContext(found: Signal[], texts: readonly FieldText[], lines: readonly FieldText[], connects: readonly boolean[]): void
    /** The options a container's env spells by name (POOL_URL, POOL_USER, DONATE_LEVEL ...) as one command line for the grammar. */
    envCommandLine(env: V1Container['env']): string
    /** Every port a container declares, with its field. */
    containerPorts(container: V1Container): { field: string; port: number }[]
    /** What marks a text as an xmrig-style JSON miner config, if it is one. */
    minerConfigSigns(text: string): MinerConfigSigns | undefined
  }>
}
