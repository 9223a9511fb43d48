// The payloads a container's texts carry, decoded (payloads.ts), each as a text with its field:
// what the signal scanner reads after the texts, and what malicious-packages reads for installs
// (`echo <base64> | base64 -d | sh` hides a `pip install` as well as a miner). Within a review they
// are decoded once for a list of texts, whichever policy asks first, and each decoded character is
// charged to the review's budget once, when decoded.
import { DecodeAllowance, decodedPayloads } from './payloads.ts'
import type { ReviewBudget } from './review-budget.ts'
import type { ScannedText } from './signals.ts'

/** Without a decoder named anywhere in the texts, only a text this long is read for a payload (shorter ids and names decode to noise). */
export const UNHINTED_PAYLOAD = 48

/**
 * The names of decoders (base64, base32, b64decode, xxd, rev, printf, pack(, unhexlify, fromhex,
 * openssl), as a source. Each is entered by a letter rare in ordinary text, the rest checked
 * around it (`openssl` from its p, `xxd` and `rev` from their last letter): written plainly, a
 * text of x's or v's made every one of them the start of a try (~95 ns a text, ~17 here).
 */
export const DECODER_NAMES = 'b(?:ase(?:64|32)|64decode)|p(?:rintf|ack\\(|(?<=op)enssl)|y(?<=unhexlify)|fromhex|d(?<=xxd)|v(?<=\\brev)\\b'
const NAMES_DECODER = new RegExp(DECODER_NAMES, 'i')
/** The same, case-sensitive, for a lower-cased copy (signals.ts lowerCaseCopy): cheaper than the case-blind search. */
const LOWER_NAMES_DECODER = new RegExp(DECODER_NAMES)

/** Whether `text` names a decoder, read from its lower-cased copy when it has one. */
export function namesDecoder(text: string, lower?: string): boolean {
  return lower === undefined ? NAMES_DECODER.test(text) : LOWER_NAMES_DECODER.test(lower)
}

/** Payloads decoded from one list of texts in a review. */
class Decoded {
  /** The texts they were decoded from (each policy reads its own copy of a container's texts). */
  readonly from: readonly ScannedText[]
  readonly payloads: readonly ScannedText[]
  constructor(from: readonly ScannedText[], payloads: readonly ScannedText[]) {
    this.from = from.slice()
    this.payloads = payloads
  }
  /** Whether `texts` holds the same texts, in order. */
  isOf(texts: readonly ScannedText[]): boolean {
    if (texts.length !== this.from.length) return false
    for (let index = 0; index < texts.length; index++) if (texts[index] !== this.from[index]) return false
    return true
  }
}

/**
 * The decoded payloads of `texts` (files read only for a config are not run, so not decoded).
 * `hinted`: whether the texts name a decoder (base64, xxd, rev, printf ...), which lowers the
 * length a blob needs; the scanner passes what it found on its joined text, anyone else lets it
 * be worked out here the same way.
 */
export function decodedTexts(texts: readonly ScannedText[], budget: ReviewBudget, hinted?: boolean): readonly ScannedText[] {
  const last = texts[texts.length - 1]
  if (last === undefined) return []
  // Kept in the review's read cache under the list's last text.
  const kept = budget.readOnce(last, () => new Decoded(texts, decode(texts, budget, hinted ?? namesDecoderIn(texts))))
  // A policy that edited its copy of the texts has them decoded afresh, and charged.
  return kept instanceof Decoded && kept.isOf(texts) ? kept.payloads : decode(texts, budget, hinted ?? namesDecoderIn(texts))
}

function decode(texts: readonly ScannedText[], budget: ReviewBudget, hinted: boolean): ScannedText[] {
  const out: ScannedText[] = []
  const allowance = new DecodeAllowance()
  for (const entry of texts) {
    if (entry.configOnly === true || (!hinted && entry.text.length < UNHINTED_PAYLOAD)) continue
    for (const { how, text } of decodedPayloads(entry.text, allowance, hinted)) {
      budget.charge(text.length + 1)
      out.push({ field: `${entry.field} (${how}-decoded)`, text })
    }
  }
  return out
}

/** Whether the texts name a decoder as the scanner's joined text does: no decoder's name spans the newline that joins two texts. */
export function namesDecoderIn(texts: readonly ScannedText[]): boolean {
  for (const entry of texts) if (entry.configOnly !== true && namesDecoder(entry.text)) return true
  return false
}
