// Durations as Kubernetes and Go spell them: `10m`, `30s`, `1m30s`, `250ms`, `2h`.
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (text === '') return undefined
  PART.lastIndex = 0
  let total = 0
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex
    const match = PART.exec(text)
    if (match === null || match.index !== at) return undefined
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number)
  }
  return total
}
