// A container's texts are read once per review and handed to every policy that asks (the kit's
// per-review cache); what the policies derive from them (the joined command lines, the decoded
// payloads) is kept beside them, so it too is built once per container per review, whoever asks first.
import type { ScannedText } from './signals.ts'

const DERIVED = Symbol('built once from these texts')

/** What is built from a shared list of texts, filled in by whoever needs it first. */
export interface DerivedFromTexts {
  /** The command lines of several list items (`command` and `args` joined), in the order the lines walk finds them. */
  joinedLines: ScannedText[]
  /** The payloads the texts carry, decoded (payloads.ts), once decoded. */
  decoded: readonly ScannedText[] | undefined
}

type SharedTexts = ScannedText[] & { [DERIVED]?: DerivedFromTexts }

/** Gives `texts`, read once for the review, the slot for what is derived from it. */
export function shareTexts<T extends ScannedText>(texts: T[]): T[] {
  ;(texts as SharedTexts)[DERIVED] = { joinedLines: [], decoded: undefined }
  return texts
}

/**
 * A policy's own copy of a shared list, so one policy cannot change what the next one reads, with
 * the list's slot. (A frozen list instead of copies was read 4-6 times slower by V8 here.)
 */
export function copyOfShared<T extends ScannedText>(texts: readonly T[]): T[] {
  const copy = texts.slice()
  ;(copy as SharedTexts)[DERIVED] = derivedFrom(texts)
  return copy
}

/** The slot of a list made by shareTexts; undefined for any other list (a policy's own, a test's), which is then derived afresh. */
export function derivedFrom(texts: readonly ScannedText[]): DerivedFromTexts | undefined {
  return (texts as SharedTexts)[DERIVED]
}
