// Miners also arrive as a dependency: a container that runs `pip install ultralytics==8.3.41`
// at start-up installs the compromised release whatever its image is. Package versions known
// to be malicious are intel (data/intel/packages.yaml, OSV records imported by `jackstop intel import`).
import type { ContainerValidationPolicy } from 'jackstop/policy'

export default {
  id: 'malicious-packages',
  description:
    'Refuses containers whose command, args, env or hooks install a package version known to be malicious (OSV records, curated intel), in clear or in a payload they decode.',
  severity: 'critical',
  action: 'deny',
  target: 'container',
  mode: 'validate',
  prepare: ({ intel, kit }) => {
    const index = kit.packages.compileIndex(intel.packages)
    return (container, context) => {
      const texts = kit.signals.containerTexts(container, context)
      // Nearly every container names no installer and no decoder; a command line joins texts, never splits the word that names one.
      const look = index.placesToLook(texts)
      if (!look.lines && !look.payloads) return []
      // A list is one command line (`["pip", "install", "x==1"]`); `echo <base64> | base64 -d | sh` runs its payload.
      const lines = look.lines ? kit.signals.commandLines(texts) : []
      const payloads = look.payloads ? kit.signals.decodedTexts(texts, context) : []
      const violations = []
      const seen = new Set<string>()
      for (const { field, text } of payloads.length === 0 ? lines : [...lines, ...payloads]) {
        for (const install of kit.packages.installs(text)) {
          const entry = index(install)
          if (entry === undefined) continue
          const what = kit.packages.describe(install)
          if (seen.has(what)) continue
          seen.add(what)
          violations.push({ field, message: `installs ${what}, a known-malicious package version (${entry.id}; ${kit.intel.citation(entry)})` })
        }
      }
      return violations
    }
  },
} satisfies ContainerValidationPolicy<unknown>
