// Payloads a container can decode without the network: base64, hex, gzip inside base64,
// reversed text and printf escapes. Decoded here and scanned like any other text, so a miner
// command hidden by encoding is read in clear. Bounded: a decoded payload is only kept when it is
// text, gzip output is capped, and one review decodes at most MAX_DECODED_CHARACTERS.
import { gunzipSync } from 'node:zlib'

/** Decoded text one review may add to the scan; past it, payloads are no longer decoded but the decode-to-shell shape still refuses. */
export const MAX_DECODED_CHARACTERS = 256 * 1024

// Long runs only: short base64-looking words (ids, names) are everywhere and decode to noise.
const BASE64_BLOB = /[A-Za-z0-9+/]{24,}={0,2}/g
const HEX_BLOB = /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){16,}(?![0-9A-Fa-f])/g
const HEX_ESCAPES = /(?:\\x[0-9A-Fa-f]{2}){8,}/g
const PRINTABLE = /^[\t\n\r\x20-\x7e]+$/
const GZIP_MAGIC = [0x1f, 0x8b]

export interface Decoded {
  how: string
  text: string
}

/** Tracks how much decoded text one review has produced. */
export class DecodeAllowance {
  remaining = MAX_DECODED_CHARACTERS
}

function keep(bytes: Buffer, how: string, allowance: DecodeAllowance, out: Decoded[]): void {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    let plain: Buffer
    try {
      plain = gunzipSync(bytes, { maxOutputLength: Math.max(1, allowance.remaining) })
    } catch {
      return
    }
    keep(plain, `${how}+gzip`, allowance, out)
    return
  }
  const text = bytes.toString('latin1')
  if (text.length > allowance.remaining || !PRINTABLE.test(text)) return
  allowance.remaining -= text.length
  out.push({ how, text })
}

/**
 * The payloads `text` carries, decoded. `hinted` (the text names a decoder: base64, xxd, rev,
 * printf) lowers the length a blob needs, and adds the reversed text.
 */
export function decodedPayloads(text: string, allowance: DecodeAllowance, hinted: boolean): Decoded[] {
  const out: Decoded[] = []
  if (allowance.remaining <= 0) return out
  const minimum = hinted ? 24 : 48
  for (const [blob] of text.matchAll(BASE64_BLOB)) {
    if (blob.length >= minimum && !/^[0-9A-Fa-f]+$/.test(blob)) keep(Buffer.from(blob, 'base64'), 'base64', allowance, out)
  }
  for (const [blob] of text.matchAll(HEX_BLOB)) if (blob.length >= minimum) keep(Buffer.from(blob, 'hex'), 'hex', allowance, out)
  for (const [run] of text.matchAll(HEX_ESCAPES)) keep(Buffer.from(run.replaceAll('\\x', ''), 'hex'), 'printf escapes', allowance, out)
  if (hinted && /\brev\b/.test(text) && text.length <= allowance.remaining) {
    allowance.remaining -= text.length
    out.push({ how: 'reversed', text: [...text].reverse().join('') })
  }
  return out
}
