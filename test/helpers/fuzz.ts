// How many cases a seeded property test runs. `npm test` runs a modest number so the suite stays
// fast; JACKSTOP_FUZZ_SCALE=10 runs ten times as many (a failure replays from the printed seed).
const SCALE = Number(process.env.JACKSTOP_FUZZ_SCALE ?? 1)

export function fuzzRuns(suiteRuns: number): number {
  return Math.max(1, Math.round(suiteRuns * (Number.isFinite(SCALE) && SCALE > 0 ? SCALE : 1)))
}
