// Wallet address checks. Bitcoin addresses carry checksums, verified here so random
// base58 or bech32-looking tokens (hashes, API keys) are not mistaken for wallets.
import { hash } from 'node:crypto'

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const BASE58_DIGIT = new Map([...BASE58].map((char, index) => [char, index]))
const ADDRESS_BYTES = 25

/** The 25 bytes of a base58 address, or undefined when it is not exactly 25 bytes (leading `1`s are zero bytes). */
function base58AddressBytes(text: string): Buffer | undefined {
  // Byte arithmetic, not BigInt: a ConfigMap of address-shaped tokens makes this run tens of thousands of times.
  const bytes = Buffer.alloc(ADDRESS_BYTES)
  for (const char of text) {
    let carry = BASE58_DIGIT.get(char)
    if (carry === undefined) return undefined
    for (let index = ADDRESS_BYTES - 1; index >= 0; index--) {
      carry += (bytes[index] as number) * 58
      bytes[index] = carry & 0xff
      carry >>= 8
    }
    if (carry !== 0) return undefined
  }
  const leadingOnes = text.length - text.replace(/^1+/, '').length
  const leadingZeros = bytes.findIndex((byte) => byte !== 0)
  return leadingOnes === (leadingZeros === -1 ? ADDRESS_BYTES : leadingZeros) ? bytes : undefined
}

/** Legacy (1…) and script (3…) addresses: version byte, 20-byte hash, 4-byte double-SHA-256 checksum. */
export function isBase58CheckAddress(text: string): boolean {
  const bytes = base58AddressBytes(text)
  if (bytes === undefined) return false
  const checksum = hash('sha256', hash('sha256', bytes.subarray(0, 21), 'buffer'), 'buffer').subarray(0, 4)
  return checksum.equals(bytes.subarray(21))
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
// BIP-173 (bech32, segwit v0) and BIP-350 (bech32m, taproot) checksum constants.
const BECH32_CONSTANTS = new Set([1, 0x2bc830a3])

function polymod(values: number[]): number {
  let checksum = 1
  for (const value of values) {
    const top = checksum >>> 25
    checksum = ((checksum & 0x1ffffff) << 5) ^ value
    GENERATORS.forEach((generator, bit) => {
      if ((top >>> bit) & 1) checksum ^= generator
    })
  }
  return checksum >>> 0
}

/** `bc1…` and other bech32/bech32m strings with a valid checksum. */
export function isBech32(text: string): boolean {
  const lower = text.toLowerCase()
  const separator = lower.lastIndexOf('1')
  if (separator < 1 || lower.length - separator < 7) return false
  const prefix = lower.slice(0, separator)
  const data = [...lower.slice(separator + 1)].map((char) => BECH32_CHARSET.indexOf(char))
  if (data.includes(-1)) return false
  const expanded = [...[...prefix].map((char) => char.charCodeAt(0) >> 5), 0, ...[...prefix].map((char) => char.charCodeAt(0) & 31)]
  return BECH32_CONSTANTS.has(polymod([...expanded, ...data]))
}
