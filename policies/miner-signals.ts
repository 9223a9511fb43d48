// Miners rarely come in an image called xmrig: a generic image downloads one, and the pool,
// wallet and flags travel in args, env or a shell script. This policy scores those signs in
// every container (init and ephemeral ones too) and refuses or warns above thresholds.
import type { ContainerValidationPolicy, FieldText, Intel, Scoring, Signal, SignalKind, SignalLists } from 'jackstop/policy'

export interface MinerSignalsData extends Omit<SignalLists, 'binaries' | 'poolDomains'>, Scoring {
  configMapWeights: Partial<Record<SignalKind, number>>
  /** Algorithm names other software uses too: read only by the command-line grammar. */
  sharedAlgorithms: string[]
}

/** The scanner's word lists: tuning from the data file, programs and pools from intel. */
export function signalLists(data: MinerSignalsData, intel: Intel): SignalLists {
  return {
    ...data,
    binaries: intel.programs.filter((program) => program.ambiguous !== true).flatMap((program) => [program.name, ...(program.variants ?? [])]),
    poolDomains: intel.pools.map((pool) => pool.domain),
  }
}

/** Where a command line spelt by env names (POOL_URL, WALLET) is reported. */
const ENV_LINE = { field: 'env' }

const words = { type: 'array', items: { type: 'string', minLength: 1 } }
const weights = { type: 'object', additionalProperties: { type: 'number', minimum: 0 } }

export const minerSignalsDataSchema = {
  type: 'object',
  required: ['thresholds', 'weights', 'needsCompany', 'repeatable', 'configMapWeights', 'flags', 'flagPrefixes', 'algorithms', 'sharedAlgorithms', 'ports'],
  additionalProperties: false,
  properties: {
    thresholds: {
      type: 'object',
      required: ['deny', 'warn'],
      additionalProperties: false,
      properties: { deny: { type: 'number', minimum: 1 }, warn: { type: 'number', minimum: 1 } },
    },
    // Which kinds exist is the kit's list (checkScoring in prepare), not a copy here.
    weights,
    needsCompany: words,
    repeatable: weights,
    configMapWeights: weights,
    flags: words,
    flagPrefixes: words,
    algorithms: words,
    sharedAlgorithms: words,
    ports: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 } },
  },
}

export default {
  id: 'miner-signals',
  description:
    'Refuses containers whose command, args, env, hooks, probes or ports carry the signs of a crypto-miner: miner programs, stratum URLs, pools, miner flags, wallets, droppers.',
  severity: 'critical',
  action: 'deny',
  target: 'container',
  mode: 'validate',
  data: 'miner-signals.yaml',
  dataSchema: minerSignalsDataSchema,
  prepare: ({ data, intel, kit }) => {
    kit.signals.checkScoring(data)
    const scan = kit.signals.compileScanner(signalLists(data, intel))
    const grammar = kit.signals.compileGrammar({ algorithms: data.algorithms, sharedAlgorithms: data.sharedAlgorithms })
    const miningPorts = new Set(data.ports)
    const installerDownloads = kit.installers.compile(intel.installers)
    return (container, context) => {
      const found: Signal[] = []
      const texts = kit.signals.containerTexts(container, context)
      const decoded: FieldText[] = []
      scan(texts, found, context.budget, decoded)
      // A download from a listed installer source is refused by itself, not scored (intel: installers.yaml).
      const installs = installerDownloads(decoded.length === 0 ? texts : [...texts, ...decoded]).map(({ field, url, entry }) => ({
        field,
        action: 'deny' as const,
        message: `${field}: downloads a miner installer from "${url}" (${kit.intel.citation(entry)})`,
      }))
      // A miner config reaches the container as an env value or a mounted ConfigMap file.
      for (const item of texts) {
        // Files read only for a config were not charged by the scan: their parse is charged here.
        if (item.configOnly === true) context.budget.charge(item.text.length)
        const config = kit.signals.minerConfigSigns(item.text)
        if (config === undefined) continue
        if (config.pools !== undefined) found.push({ kind: 'miner-config', field: item.field, quote: config.pools })
        for (const key of config.minerKeys) found.push({ kind: 'miner-flag', field: item.field, quote: key })
      }
      // One reporter for every line (no closure per line): most lines are one env value the grammar rejects at once.
      let current: { field: string } = ENV_LINE
      const report = (quote: string) => found.push({ kind: 'miner-command-line', field: current.field, quote })
      const connects = kit.signals.readCommandLines(texts, (line) => {
        current = line
        return grammar(line.text, report)
      })
      current = ENV_LINE
      grammar(kit.signals.envCommandLine(container.env), report)
      for (const { field, port } of kit.signals.containerPorts(container)) {
        if (miningPorts.has(port)) found.push({ kind: 'mining-port', field, quote: String(port) })
      }
      if (found.length === 0) return installs
      // The lines themselves are built only now, for the few containers with a sign to weigh.
      kit.signals.markDataContext(found, texts, kit.signals.commandLines(texts), connects)
      return [...installs, ...kit.signals.violations(found, data)]
    }
  },
} satisfies ContainerValidationPolicy<MinerSignalsData>
