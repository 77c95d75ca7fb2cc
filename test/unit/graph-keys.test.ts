import { describe, expect, it } from 'vitest'
import { type Placed, connectedTo, onScreen, serviceToward, tabStop } from '../../renderer/graph/graph-keys'

const box = (id: string, x: number, y: number): Placed => ({ id, x, y, width: 100, height: 50 })

//            checkout (0,0)
//        /         |          \
//   payments    cart (0,200)   search (600,0)   (unconnected: ledger at (0,-400))
//  (-300,200)       |
//               db (0,400)
const services = [box('checkout', 0, 0), box('payments', -300, 200), box('cart', 0, 200), box('db', 0, 400), box('search', 600, 0), box('ledger', 0, -400)]
const placed = new Map(services.map((s) => [s.id, s]))
const dependencies = [
  { from: 'checkout', to: 'payments' },
  { from: 'checkout', to: 'cart' },
  { from: 'cart', to: 'db' },
  { from: 'checkout', to: 'search' },
]
const toward = (from: string, direction: 'up' | 'down' | 'left' | 'right') => serviceToward(from, direction, placed, connectedTo(from, dependencies))

describe('moving between services by arrow keys', () => {
  it('goes to the connected service that lies that way, the one straight ahead first', () => {
    expect(toward('checkout', 'down')).toBe('cart')
    expect(toward('checkout', 'right')).toBe('search')
    expect(toward('cart', 'down')).toBe('db')
    expect(toward('db', 'up')).toBe('cart')
    expect(toward('cart', 'up')).toBe('checkout')
  })

  it('follows a dependency either way: to what a service needs and to what needs it', () => {
    expect(connectedTo('cart', dependencies)).toEqual(new Set(['checkout', 'db']))
    expect(toward('payments', 'right')).toBe('checkout')
  })

  it('goes to the nearest service of all when no connected one lies that way, so every service can be reached', () => {
    expect(toward('checkout', 'up')).toBe('ledger')
    expect(toward('ledger', 'down')).toBe('checkout')
  })

  it('stays put at the edge of the graph, and for a service it does not know', () => {
    expect(toward('search', 'right')).toBeUndefined()
    expect(toward('gone', 'down')).toBeUndefined()
  })
})

describe('the graph as one Tab stop', () => {
  const whole = [0, 500, 1] as const
  it('is the service last focused while it is on screen', () => {
    expect(tabStop('db', services, whole, 1000, 1000)).toBe('db')
  })

  it('is the first service on screen when that one is off screen (it is not drawn) or there is none', () => {
    // Panned down 500 px in a 400 px tall canvas: only ledger (at -400, so 100 px down) is in view.
    const panned = [0, 500, 1] as const
    expect(onScreen(placed.get('db')!, panned, 1000, 400)).toBe(false)
    expect(onScreen(placed.get('ledger')!, panned, 1000, 400)).toBe(true)
    expect(tabStop('db', services, panned, 1000, 400)).toBe('ledger')
    expect(tabStop(undefined, services, whole, 1000, 1000)).toBe('checkout')
    expect(tabStop('db', services, [5000, 5000, 1], 1000, 1000)).toBeUndefined()
  })
})
