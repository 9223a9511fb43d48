// Size-growth checks for scanners: the cost of a text 4 times longer must stay near 4 times the
// cost, never near 16 (quadratic). Ratios of the best of a few runs of CPU time (not wall
// time, which counts the other processes of a shared machine) hold where absolute times do not.
// (The thread's own CPU time would leave out the collector's helper threads, but Linux counts it
// in 4 ms ticks.)

export const SMALL = 128 * 1024
/**
 * For scanners that cost half a millisecond or more per 16 K characters (growthRatio doubles the
 * size until they do): the small input stays well above the 100 µs floor, and a quadratic pass
 * over 16 K characters (2.7e8 steps) would dwarf it, so the ratio tells the two apart in far less
 * time. Larger texts also measure the collector and the caches more than the scanner.
 */
export const COSTLY_SMALL = 16 * 1024
export const GROWTH = 4
/** Linear cost gives a ratio of about 4, quadratic about 16. */
export const LINEAR_RATIO_LIMIT = 10

/** `unit` repeated to exactly `size` characters. */
export function repeatedTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
}

function cpuTime(work: () => void): number {
  const start = process.cpuUsage()
  work()
  const { user, system } = process.cpuUsage(start)
  return user + system
}

function bestOf(runs: number, work: () => void): number {
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < runs; run++) best = Math.min(best, cpuTime(work))
  return best
}

/** Roughly where V8 starts allocating a one-byte string in its large-object space (128 KiB objects). */
const LARGE_OBJECT_CHARACTERS = 96 * 1024

/** The small input must cost this much CPU time (µs), five times the floor below, to be measured at all. */
const MEASURABLE_COST = 500

/**
 * How much more a 4-times larger input costs than the small one, best of five runs each. Noise
 * (other processes, a garbage collection) only ever raises a ratio, so up to five attempts are
 * made and the lowest is kept: a quadratic scanner never gets near the limit in any of them.
 * `smallSize` below SMALL is doubled (up to SMALL) until the small input costs half a millisecond.
 */
export function growthRatio<T>(build: (size: number) => T, work: (input: T) => void, smallSize = SMALL): number {
  let size = smallSize
  let small = build(size)
  work(small) // warm-up: the first call compiles the patterns
  while (size < SMALL && bestOf(3, () => work(small)) < MEASURABLE_COST) {
    size *= 2
    // Both sizes on one side of V8's large-object threshold: past it, each string a scanner
    // builds (a joined or flattened text) costs a fresh mapping, a one-off step of about 1 ms
    // that a small input below it and a large one above it would read as super-linear growth.
    if (size * GROWTH >= LARGE_OBJECT_CHARACTERS) size = SMALL
    small = build(size)
  }
  const large = build(size * GROWTH)
  let lowest = Number.POSITIVE_INFINITY
  for (let attempt = 0; attempt < 5 && lowest >= LINEAR_RATIO_LIMIT; attempt++) {
    // Interleaved, so a stretch of noise (the collector cleaning up after the large input) falls on both.
    let largeCost = Number.POSITIVE_INFINITY
    let smallCost = Number.POSITIVE_INFINITY
    for (let run = 0; run < 5; run++) {
      largeCost = Math.min(
        largeCost,
        cpuTime(() => work(large)),
      )
      smallCost = Math.min(
        smallCost,
        cpuTime(() => work(small)),
      )
    }
    // A floor of 100 µs (CPU time is counted in µs) keeps a tiny small-input time from inflating the ratio.
    lowest = Math.min(lowest, largeCost / Math.max(smallCost, 100))
  }
  return lowest
}
