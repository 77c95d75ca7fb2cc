/**
 * The graph by keyboard: which service an arrow key moves to, and which one
 * Tab reaches. Pure, over positions and sizes, so it is tested without a DOM.
 */

export type Direction = 'up' | 'down' | 'left' | 'right'

export const ARROW_DIRECTIONS: Readonly<Record<string, Direction>> = { arrowup: 'up', arrowdown: 'down', arrowleft: 'left', arrowright: 'right' }

/** A service on the canvas: its top-left corner and size, in graph units. */
export interface Placed {
  id: string
  x: number
  y: number
  width: number
  height: number
}

const UNIT: Record<Direction, { x: number; y: number }> = { up: { x: 0, y: -1 }, down: { x: 0, y: 1 }, left: { x: -1, y: 0 }, right: { x: 1, y: 0 } }

const centre = (p: Placed): { x: number; y: number } => ({ x: p.x + p.width / 2, y: p.y + p.height / 2 })

/**
 * How far `to` lies from `from` going `direction`: undefined when it is not that
 * way at all; a sideways step counts twice, so the service straight ahead wins.
 */
const distanceToward = (from: Placed, to: Placed, direction: Direction): number | undefined => {
  const a = centre(from)
  const b = centre(to)
  const d = UNIT[direction]
  const along = (b.x - a.x) * d.x + (b.y - a.y) * d.y
  if (along <= 0) return undefined
  const across = Math.abs((b.x - a.x) * d.y - (b.y - a.y) * d.x)
  return along + 2 * across
}

const nearest = (from: Placed, candidates: Iterable<Placed>, direction: Direction): string | undefined => {
  let best: { id: string; distance: number } | undefined
  for (const c of candidates) {
    if (c.id === from.id) continue
    const distance = distanceToward(from, c, direction)
    if (distance !== undefined && (!best || distance < best.distance)) best = { id: c.id, distance }
  }
  return best?.id
}

/**
 * Where an arrow key goes from the focused service: the nearest service it
 * depends on or that depends on it, that way; when none lies that way, the
 * nearest service of all that way, so every service can be reached.
 */
export const serviceToward = (from: string, direction: Direction, placed: ReadonlyMap<string, Placed>, connected: ReadonlySet<string>): string | undefined => {
  const origin = placed.get(from)
  if (!origin) return undefined
  const neighbours = [...connected].flatMap((id) => placed.get(id) ?? [])
  return nearest(origin, neighbours, direction) ?? nearest(origin, placed.values(), direction)
}

/** The services `id` depends on and those that depend on it. */
export const connectedTo = (id: string, dependencies: readonly { from: string; to: string }[]): Set<string> =>
  new Set(dependencies.flatMap((d) => (d.from === id ? [d.to] : d.to === id ? [d.from] : [])))

/** The canvas's pan and zoom, as React Flow keeps it: [x, y, zoom]. */
export type Transform = readonly [number, number, number]

/** Whether any part of a service is on screen. */
export const onScreen = (p: Placed, [x, y, zoom]: Transform, width: number, height: number): boolean =>
  p.x * zoom + x < width && (p.x + p.width) * zoom + x > 0 && p.y * zoom + y < height && (p.y + p.height) * zoom + y > 0

/**
 * The one service Tab reaches (a roving tab stop, so the graph is one stop, not
 * one per service): the last one focused or chosen while it is on screen,
 * else the first on screen. A service off screen is not drawn, so it cannot
 * be the stop.
 */
export const tabStop = (preferred: string | undefined, placed: readonly Placed[], transform: Transform, width: number, height: number): string | undefined => {
  const inView = (p: Placed): boolean => onScreen(p, transform, width, height)
  const wanted = preferred === undefined ? undefined : placed.find((p) => p.id === preferred)
  if (wanted && inView(wanted)) return wanted.id
  return placed.find(inView)?.id
}
