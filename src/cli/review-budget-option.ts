// `--review-budget`, shared by `serve` and `check` so a manifest that passes one passes the other.
import { Option } from 'commander'
import { REVIEW_BUDGET_CHARACTERS } from '../detect/review-budget.ts'
import { fromEnv, wholeNumber } from './options.ts'

export function reviewBudgetOption(): Option {
  return fromEnv(
    new Option('--review-budget <characters>', 'characters the scanners may read per review; a larger object is refused as unreviewable')
      .default(REVIEW_BUDGET_CHARACTERS)
      .argParser(wholeNumber('--review-budget', 1)),
    'JACKSTOP_REVIEW_BUDGET',
  )
}
