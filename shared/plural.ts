/** "1 incident", "3 incidents": counts in the host's and the board's sentences. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
