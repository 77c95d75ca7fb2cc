import type * as Y from 'yjs'

/**
 * Turn a whole-string edit from an input field into the smallest Y.Text change
 * (common prefix and suffix kept), so two people correcting the same entry
 * merge character by character instead of overwriting each other.
 */
export const applyTextChange = (text: Y.Text, next: string): void => {
  const current = text.toString()
  if (current === next) return
  let start = 0
  const max = Math.min(current.length, next.length)
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++
  // Never split a surrogate pair: an emoji edited half-way would be corrupted.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--
  let endCurrent = current.length
  let endNext = next.length
  while (endCurrent > start && endNext > start && current.charCodeAt(endCurrent - 1) === next.charCodeAt(endNext - 1)) {
    endCurrent--
    endNext--
  }
  if (endCurrent < current.length && isLowSurrogate(current.charCodeAt(endCurrent))) {
    endCurrent++
    endNext++
  }
  const apply = (): void => {
    if (endCurrent > start) text.delete(start, endCurrent - start)
    if (endNext > start) text.insert(start, next.slice(start, endNext))
  }
  if (text.doc) text.doc.transact(apply)
  else apply()
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff

/**
 * Where a caret should land after someone else changed the text under it:
 * unchanged before the change, shifted by the change's length after it.
 */
export const rebaseCaret = (previous: string, next: string, caret: number): number => {
  let prefix = 0
  const max = Math.min(previous.length, next.length)
  while (prefix < max && previous.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++
  let suffix = 0
  while (
    suffix < max - prefix &&
    previous.charCodeAt(previous.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)
  ) {
    suffix++
  }
  if (caret <= prefix) return caret
  if (caret >= previous.length - suffix) return Math.min(next.length, caret + next.length - previous.length)
  return next.length - suffix
}
