// Miners ship their pool and wallet as a config.json mounted from a ConfigMap. The same
// signals as for containers are scored, with ConfigMap weights: a name or a domain alone
// proves little there (security tools ship lists of them), a miner config and a wallet do.
import type { ConfigMapValidationPolicy, Signal } from 'jackstop/policy'
import { type MinerSignalsData, minerSignalsDataSchema, signalLists } from './miner-signals.ts'

export default {
  id: 'miner-configmaps',
  description: 'Refuses ConfigMaps that hold a miner configuration: an xmrig-style config with pools, stratum URLs, wallets.',
  severity: 'high',
  action: 'deny',
  target: 'configmap',
  mode: 'validate',
  // jackstop's own policy ConfigMap lists every miner sign by design (found by dogfooding).
  exempt: { namespaces: ['jackstop-system'] },
  data: 'miner-signals.yaml',
  dataSchema: minerSignalsDataSchema,
  prepare: ({ data, intel, kit }) => {
    const scan = kit.signals.compileScanner(signalLists(data, intel))
    const scoring = { ...data, weights: { ...data.weights, ...data.configMapWeights } }
    return (_configMap, { configMap, budget }) => {
      const found: Signal[] = []
      for (const entry of configMap.entries) {
        const config = kit.signals.minerConfigSigns(entry.value)
        if (config?.pools !== undefined) found.push({ kind: 'miner-config', field: entry.path, quote: config.pools })
        for (const key of config?.minerKeys ?? []) found.push({ kind: 'miner-flag', field: entry.path, quote: key })
      }
      scan(
        configMap.entries.map((entry) => ({ field: entry.path, text: entry.value })),
        found,
        budget,
      )
      return kit.signals.violations(found, scoring)
    }
  },
} satisfies ConfigMapValidationPolicy<MinerSignalsData>
