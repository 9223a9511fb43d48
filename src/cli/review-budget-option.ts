// `--review-budget`, shared by `serve` and `check` so a manifest that passes one passes the other.
import { Option } from 'commander'
import { REVIEW_BUDGET_CHARACTERS } from '../detect/review-budget.ts'

function positiveInteger(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`"${value}" is not a positive whole number`)
  return parsed
}

export function reviewBudgetOption(): Option {
  return new Option('--review-budget <characters>', 'characters the scanners may read per review; a larger object is refused as unreviewable')
    .env('JACKSTOP_REVIEW_BUDGET')
    .default(REVIEW_BUDGET_CHARACTERS)
    .argParser(positiveInteger)
}
