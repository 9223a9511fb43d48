// Shell parameter expansion of env values, the way `sh -c` does it at run time: `${A}${B}` and
// `$A$B` join values the kubelet leaves alone (it only expands `$(VAR)`), so a pool split over
// two env entries is whole only inside the shell. One pass; output counted against the
// container's expansion allowance like `$(VAR)`.
import type { ExpansionAllowance } from './expansion.ts'
import { UnreviewableError } from './review-budget.ts'

const DOLLAR = 36
const isNameStart = (code: number) => code === 95 || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
const isNameCharacter = (code: number) => isNameStart(code) || (code >= 48 && code <= 57)

/** `text` with `${NAME}`, `${NAME:-default}` and `$NAME` replaced by known values; unknown names stay as written. */
export function expandShellVariables(text: string, lookup: ReadonlyMap<string, string>, allowance: ExpansionAllowance, field = 'text'): string {
  if (!text.includes('$')) return text
  let expanded = ''
  let copied = 0
  let closer = -1
  const emit = (part: string) => {
    if (expanded.length + part.length > allowance.remaining) {
      throw new UnreviewableError(`${field}: shell expansion takes this container's text past the cap of ${allowance.cap} characters; refused`)
    }
    expanded += part
  }
  for (let cursor = 0; cursor < text.length - 1; cursor++) {
    if (text.charCodeAt(cursor) !== DOLLAR) continue
    const next = text.charCodeAt(cursor + 1)
    let name: string
    let end: number
    if (next === 123) {
      // `${`: the name runs to the next `}`, remembered so a run of `${` is not searched again.
      if (closer !== -2 && closer < cursor + 2) closer = text.indexOf('}', cursor + 2)
      if (closer === -1) closer = -2
      if (closer === -2) break
      const inside = text.slice(cursor + 2, closer)
      let length = 0
      while (length < inside.length && isNameCharacter(inside.charCodeAt(length))) length++
      name = inside.slice(0, length)
      end = closer + 1
    } else if (isNameStart(next)) {
      end = cursor + 1
      while (end < text.length && isNameCharacter(text.charCodeAt(end))) end++
      name = text.slice(cursor + 1, end)
    } else continue
    const value = lookup.get(name)
    if (value === undefined) continue
    emit(text.slice(copied, cursor))
    emit(value)
    copied = end
    cursor = end - 1
  }
  if (copied === 0) return text
  emit(text.slice(copied))
  allowance.remaining -= expanded.length
  return expanded
}
