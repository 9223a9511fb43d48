// Shell parameter expansion of env values, the way `sh -c` does it at run time: `${A}${B}` and
// `$A$B` join values the kubelet leaves alone (it only expands `$(VAR)`), so a pool split over
// two env entries is whole only inside the shell. One pass; output counted against the
// container's expansion allowance like `$(VAR)`.
import type { ExpansionAllowance } from './expansion.ts'
import { UnreviewableError } from './review-budget.ts'
import { shellUnquoted } from './shell-quotes.ts'

const DOLLAR = 36
const isNameStart = (code: number) => code === 95 || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
const isNameCharacter = (code: number) => isNameStart(code) || (code >= 48 && code <= 57)

/**
 * `text` with `${NAME}`, `${NAME:-default}` and `$NAME` replaced by known values; unknown names stay
 * as written. With `forUnquoting`, values go in without their quotes and backslashes: the shell
 * does not read an expanded `'` as a quote, and the copy is about to be unquoted as a script.
 */
export function expandShellVariables(
  text: string,
  lookup: ReadonlyMap<string, string>,
  allowance: ExpansionAllowance,
  field = 'text',
  forUnquoting = false,
): string {
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
    let value: string | undefined
    let end: number
    if (next === 123) {
      // `${`: the name runs to the next `}`, remembered so a run of `${` is not searched again.
      if (closer !== -2 && closer < cursor + 2) closer = text.indexOf('}', cursor + 2)
      if (closer === -1) closer = -2
      if (closer === -2) break
      const inside = text.slice(cursor + 2, closer)
      let length = 0
      while (length < inside.length && isNameCharacter(inside.charCodeAt(length))) length++
      value = lookup.get(inside.slice(0, length))
      if (length > 0) value = withDefault(inside, length, value)
      end = closer + 1
    } else if (isNameStart(next)) {
      end = cursor + 1
      while (end < text.length && isNameCharacter(text.charCodeAt(end))) end++
      value = lookup.get(text.slice(cursor + 1, end))
    } else continue
    if (value === undefined) continue
    emit(text.slice(copied, cursor))
    emit(forUnquoting ? value.replace(QUOTING, '') : value)
    copied = end
    cursor = end - 1
  }
  if (copied === 0) return text
  emit(text.slice(copied))
  allowance.remaining -= expanded.length
  return expanded
}

// What the shell would read as quoting in a script, but not in a value it expands.
const QUOTING = /['"\\]/g

const COLON = 58
const DASH = 45
const EQUALS = 61

/**
 * `${NAME:-word}` and `${NAME:=word}` give the word where NAME is unset or empty, `${NAME-word}`
 * and `${NAME=word}` where it is unset: a name no env entry or assignment sets is unset here.
 * A word that expands again (`${A:-$B}`) stays as written.
 */
function withDefault(inside: string, nameLength: number, value: string | undefined): string | undefined {
  const colon = inside.charCodeAt(nameLength) === COLON
  const operator = inside.charCodeAt(nameLength + (colon ? 1 : 0))
  if (operator !== DASH && operator !== EQUALS) return value
  if (value !== undefined && (value !== '' || !colon)) return value
  const word = inside.slice(nameLength + (colon ? 2 : 1))
  return word.includes('$') ? value : word
}

/** Whether a script may set a variable itself (an assignment, `read <<<`, `printf -v`) or default one (`${A:-x}`). */
export function maySetVariables(text: string): boolean {
  return text.includes('=') || text.includes('${') || text.includes('<<<') || text.includes('printf')
}

// A shell assignment where a command may start (`A=xm`, `export B="rig"`, `local C='x'`, `A+=rig`,
// `read -r A <<< x`, `printf -v A '%s' x`), up to its value. Groups: the name read, printed or
// assigned, and `+` for an append.
const ASSIGNMENT =
  /(?:^|[\s;&|(`])(?:read +(?:-r +)?([A-Za-z_][A-Za-z0-9_]*) *<<< *|printf +-v +([A-Za-z_][A-Za-z0-9_]*) +(?:(?:%s|'%s'|"%s") +)?|(?:(?:export|local|readonly|declare|typeset) +)?([A-Za-z_][A-Za-z0-9_]*)(\+?)=)/g
// The value, from where the assignment leaves off up to the first blank or operator outside
// quotes. Each alternative starts with its own character, so the match runs forward once.
const VALUE = /(?:'[^']*'|"[^"\\]*(?:\\.[^"\\]*)*"|[^\s;&|()<>'"`\\])*/y

/**
 * A script expanded with the variables it sets itself besides `lookup` (the env values), in the
 * order the shell meets them: `A=supp; B=ortxmr; svc -o pool.$A$B.com` names the pool. Control
 * flow is not followed (a value set in a branch counts from where it is written); a value is read
 * unquoted and expanded like the rest. Output counted against the allowance as expandShellVariables does.
 */
export function expandScriptVariables(
  text: string,
  lookup: ReadonlyMap<string, string>,
  allowance: ExpansionAllowance,
  field = 'text',
  forUnquoting = false,
): string {
  if (!text.includes('=') && !text.includes('<<<') && !text.includes('printf')) return expandShellVariables(text, lookup, allowance, field, forUnquoting)
  let variables: Map<string, string> | undefined
  let expanded = ''
  let from = 0
  ASSIGNMENT.lastIndex = 0
  for (let match = ASSIGNMENT.exec(text); match !== null; match = ASSIGNMENT.exec(text)) {
    VALUE.lastIndex = ASSIGNMENT.lastIndex
    // The sticky VALUE matches at least the empty string.
    const written = (VALUE.exec(text) as RegExpExecArray)[0]
    const end = VALUE.lastIndex
    ASSIGNMENT.lastIndex = end
    // The text up to the assignment's end sees the variables set before it.
    expanded += expandShellVariables(text.slice(from, end), variables ?? lookup, allowance, field, forUnquoting)
    from = end
    variables ??= new Map(lookup)
    const name = (match[1] ?? match[2] ?? match[3]) as string
    const value = shellUnquoted(expandShellVariables(written, variables, allowance, field))
    // An append joins ropes: the value grows no faster than the text that writes it.
    variables.set(name, match[4] === '+' ? (variables.get(name) ?? '') + value : value)
  }
  if (variables === undefined) return expandShellVariables(text, lookup, allowance, field, forUnquoting)
  return expanded + expandShellVariables(text.slice(from), variables, allowance, field, forUnquoting)
}
