// Size-growth checks for scanners: the cost of a text 4 times longer must stay near 4 times the
// cost, never near 16 (quadratic). Both sizes are past the CPU caches, so the cost per character
// is the same kind of cost in both. Ratios of the best of a few runs of CPU time (not wall
// time, which counts the other processes of a shared machine) hold where absolute times do not.

export const SMALL = 128 * 1024
export const GROWTH = 4
/** Linear cost gives a ratio of about 4, quadratic about 16. */
export const LINEAR_RATIO_LIMIT = 10

/** `unit` repeated to exactly `size` characters. */
export function repeatedTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
}

function bestOf(runs: number, work: () => void): number {
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < runs; run++) {
    const start = process.cpuUsage()
    work()
    const { user, system } = process.cpuUsage(start)
    best = Math.min(best, user + system)
  }
  return best
}

/**
 * How much more a 4-times larger input costs than the small one, best of five runs each. Noise
 * (other processes, a garbage collection) only ever raises a ratio, so up to three attempts are
 * made and the lowest is kept: a quadratic scanner never gets near the limit in any of them.
 */
export function growthRatio<T>(build: (size: number) => T, work: (input: T) => void): number {
  const small = build(SMALL)
  const large = build(SMALL * GROWTH)
  work(small) // warm-up: the first call compiles the patterns
  let lowest = Number.POSITIVE_INFINITY
  for (let attempt = 0; attempt < 3 && lowest >= LINEAR_RATIO_LIMIT; attempt++) {
    // A floor of 100 µs (CPU time is counted in µs) keeps a tiny small-input time from inflating the ratio.
    const largeCost = bestOf(5, () => work(large))
    const smallCost = Math.max(
      bestOf(5, () => work(small)),
      100,
    )
    lowest = Math.min(lowest, largeCost / smallCost)
  }
  return lowest
}
