// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity): compared exactly,
// and written back in canonical form, so `2` and `2000m` are one value and a new limit reads
// the way `kubectl get -o yaml` would show it.

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent'

export interface Quantity {
  /** The value in nano-units (10^-9), rounded up as Kubernetes rounds up below its precision. */
  nano: bigint
  format: QuantityFormat
}

const PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]))?$/
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const DECIMAL_SUFFIXES: [string, number][] = [
  ['E', 18],
  ['P', 15],
  ['T', 12],
  ['G', 9],
  ['M', 6],
  ['k', 3],
  ['', 0],
  ['m', -3],
  ['u', -6],
]
const BINARY_SUFFIXES: [string, bigint][] = [
  ['Ei', 1n << 60n],
  ['Pi', 1n << 50n],
  ['Ti', 1n << 40n],
  ['Gi', 1n << 30n],
  ['Mi', 1n << 20n],
  ['Ki', 1n << 10n],
]
const NANO = 1_000_000_000n

// Powers of ten up to 10^45 cover every suffix and exponent a real quantity uses; built once.
const POWERS_OF_TEN = Array.from({ length: 46 }, (_, exponent) => 10n ** BigInt(exponent))

function pow10(exponent: number): bigint {
  return POWERS_OF_TEN[exponent] ?? 10n ** BigInt(exponent)
}

export function isQuantity(text: unknown): text is string | number {
  return (typeof text === 'string' || typeof text === 'number') && parseQuantity(text) !== undefined
}

/** Nano-units per unit of each suffix, as a BigInt and as a double (exact below 2^53, the only products the double is used for). */
interface Unit {
  nano: bigint
  nanoNumber: number
  format: QuantityFormat
}
const unit = (nano: bigint, format: QuantityFormat): Unit => ({ nano, nanoNumber: Number(nano), format })
const DECIMAL_UNITS = new Map<number, Unit>(Object.entries(DECIMAL).map(([suffix, exponent]) => [suffix.charCodeAt(0), unit(pow10(9 + exponent), 'DecimalSI')]))
const BINARY_UNITS = new Map<number, Unit>(
  Object.entries(BINARY).map(([suffix, shift]) => [suffix.charCodeAt(0), unit((1n << BigInt(shift)) * NANO, 'BinarySI')]),
)
const WHOLE_UNIT = unit(NANO, 'DecimalSI')
const I = 'i'.charCodeAt(0)
/** Whole numbers of up to 15 digits are exact in a double (below 2^53). */
const SIMPLE_DIGITS = 15

/** The unit of a suffix of at most one letter (decimal) or a letter and `i` (binary); undefined for anything else. */
function unitOf(text: string, start: number): Unit | undefined {
  const rest = text.length - start
  if (rest === 0) return WHOLE_UNIT
  if (rest === 1) return DECIMAL_UNITS.get(text.charCodeAt(start))
  return rest === 2 && text.charCodeAt(start + 1) === I ? BINARY_UNITS.get(text.charCodeAt(start)) : undefined
}

/**
 * `100m`, `128Mi`, `2`: up to 15 digits and at most one suffix, read without the regular
 * expression, its captures and a BigInt parsed from text (a review parses a pod's requests per
 * container); the value is multiplied in a double when the product is exact, so one BigInt is
 * made. Anything else (a sign, a fraction, an exponent, spaces) is left to the pattern.
 */
function simpleQuantity(text: string): Quantity | undefined {
  let value = 0
  let index = 0
  for (; index < text.length && index <= SIMPLE_DIGITS; index++) {
    const digit = text.charCodeAt(index) - 48
    if (digit < 0 || digit > 9) break
    value = value * 10 + digit
  }
  if (index === 0 || index > SIMPLE_DIGITS) return undefined
  const suffix = unitOf(text, index)
  if (suffix === undefined) return undefined
  // A product below 2^53 has exact factors (a larger unit only meets 0) and is exact itself.
  const product = value * suffix.nanoNumber
  return { nano: product <= Number.MAX_SAFE_INTEGER ? BigInt(product) : BigInt(value) * suffix.nano, format: suffix.format }
}

/** Parses `500m`, `0.5`, `1`, `2Gi`, `512M`, `1e3`, `1.5Gi`, `100Ki`; undefined when it is not a quantity. */
export function parseQuantity(text: string | number): Quantity | undefined {
  const simple = typeof text === 'string' ? simpleQuantity(text) : undefined
  if (simple !== undefined) return simple
  const match = PATTERN.exec(String(text).trim())
  if (match === null) return undefined
  const [, sign, number, exponentPart, binary, decimal] = match as unknown as [string, string, string, string?, string?, string?]
  const [whole, fraction = ''] = number.split('.')
  let digits = BigInt(`${whole || '0'}${fraction}`)
  let exponent = 9 - fraction.length
  if (exponentPart !== undefined) exponent += Number(exponentPart.slice(1))
  if (decimal !== undefined) exponent += DECIMAL[decimal] as number
  if (binary !== undefined) digits <<= BigInt(BINARY[binary] as number)
  let nano: bigint
  if (exponent >= 0) nano = digits * pow10(exponent)
  else {
    const divisor = pow10(-exponent)
    nano = (digits + divisor - 1n) / divisor
  }
  const format: QuantityFormat = binary !== undefined ? 'BinarySI' : exponentPart !== undefined ? 'DecimalExponent' : 'DecimalSI'
  return { nano: sign === '-' ? -nano : nano, format }
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nano === b.nano ? 0 : a.nano < b.nano ? -1 : 1
}

/** The largest decimal suffix that writes the value as a whole number; nano, the finest, always does. */
function decimalCanonical(nano: bigint, exponentStyle: boolean): string {
  const [suffix, exponent] = DECIMAL_SUFFIXES.find(([, exponent]) => nano % pow10(exponent + 9) === 0n) ?? ['n', -9]
  const value = nano / pow10(exponent + 9)
  if (!exponentStyle) return `${value}${suffix}`
  return exponent === 0 ? `${value}` : `${value}e${exponent}`
}

/** The canonical text Kubernetes writes for a quantity. */
export function formatQuantity(quantity: Quantity): string {
  const { nano } = quantity
  if (nano === 0n) return '0'
  const negative = nano < 0n
  const magnitude = negative ? -nano : nano
  let text: string
  if (quantity.format === 'BinarySI' && magnitude % NANO === 0n && magnitude >= 1024n * NANO) {
    const whole = magnitude / NANO
    const fitting = BINARY_SUFFIXES.find(([, unit]) => whole % unit === 0n)
    text = fitting === undefined ? `${whole}` : `${whole / fitting[1]}${fitting[0]}`
  } else {
    text = decimalCanonical(magnitude, quantity.format === 'DecimalExponent')
  }
  return negative ? `-${text}` : text
}

export function canonicalQuantity(text: string | number): string | undefined {
  const quantity = parseQuantity(text)
  return quantity === undefined ? undefined : formatQuantity(quantity)
}
