import * as random from 'lib0/random'

/** Ids for records inside the document: random, so offline peers never collide. */
export const newId = (): string => random.uuidv4()
