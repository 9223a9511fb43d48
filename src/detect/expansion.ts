// Kubelet's `$(VAR)` expansion (third_party/forked/golang/expansion in kubernetes), in one pass
// and with a cap: env entries that each double the one before turn a 2 KB pod into gigabytes of
// text (19 doublings took the webhook to 1.3 GB of memory), so the output is counted as it grows.
import { UnreviewableError } from './review-budget.ts'

/**
 * Characters that `$(VAR)` expansion may produce for one container. The API server stores no
 * object over 1.5 MiB, so a container whose expanded text outgrows 1 MiB is multiplying text,
 * not configuring a program.
 */
export const EXPANSION_CAP_CHARACTERS = 1024 * 1024

const DOLLAR = '$'.charCodeAt(0)

/** What one container's expansion has produced so far; shared by all its texts. */
export class ExpansionAllowance {
  readonly cap: number
  remaining: number
  constructor(cap = EXPANSION_CAP_CHARACTERS) {
    this.cap = cap
    this.remaining = cap
  }
}

/**
 * `$$` is a `$`, `$(NAME)` is the value of NAME (everything up to the next `)` is the name), an
 * unknown name or an unclosed `$(` stays as written. `field` names the text in the refusal.
 */
export function expandVariables(text: string, lookup: ReadonlyMap<string, string>, allowance = new ExpansionAllowance(), field = 'text'): string {
  if (!text.includes('$')) return text
  let expanded = ''
  const emit = (part: string, name?: string) => {
    if (expanded.length + part.length > allowance.remaining) {
      const cause = name === undefined ? 'its text' : `$(${name})`
      throw new UnreviewableError(`${field}: $(VAR) expansion of ${cause} takes this container's text past the cap of ${allowance.cap} characters; refused`)
    }
    // String concatenation builds a rope: no copy until the result is read.
    expanded += part
  }
  // Where the next `)` is, remembered so a run of unclosed `$(` is not searched once per `$(`.
  let closer = -2
  let copied = 0
  for (let cursor = 0; cursor < text.length - 1; cursor++) {
    if (text.charCodeAt(cursor) !== DOLLAR) continue
    emit(text.slice(copied, cursor))
    const next = text[cursor + 1]
    if (next === '(' && closer !== -1 && closer < cursor + 2) closer = text.indexOf(')', cursor + 2)
    if (next === '(' && closer === -1) {
      // No `)` follows: nothing more can be a reference, only `$$` escapes remain.
      copied = text.length
      emit(text.slice(cursor).replaceAll('$$', '$'))
      break
    }
    if (next === '(') {
      const name = text.slice(cursor + 2, closer)
      emit(lookup.get(name) ?? `$(${name})`, name)
      cursor = closer - 1
    } else {
      emit(next === '$' ? '$' : `$${next}`)
    }
    cursor += 1
    copied = cursor + 1
  }
  emit(text.slice(copied))
  allowance.remaining -= expanded.length
  return expanded
}
