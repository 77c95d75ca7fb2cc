import { describe, expect, it } from 'vitest'
import { addPerson, readPeople } from '../../shared/people'
import { RoleError, assignRole, holderOf, readRoles, releaseRole, rolesOf } from '../../shared/roles'
import { SPAN_OF_CONTROL_LIMIT, SubTeamError, disbandSubTeam, formSubTeam, readSubTeams, setSubTeam, spanOfControl } from '../../shared/subteams'
import { readTimeline } from '../../shared/timeline'
import { T0, at, docWithPeople, mergeInOrder, peerOf } from './helpers/doc'

const lastEvent = (doc: ReturnType<typeof docWithPeople>) => readTimeline(doc).filter((e) => e.kind === 'event').at(-1)!

describe('roles', () => {
  it('assigning and handing over is one action, written to the timeline with the time', () => {
    const doc = docWithPeople('Iris', 'Alice')
    assignRole(doc, at(60, 'iris'), 'incidentCommander', 'iris')
    expect(lastEvent(doc)).toMatchObject({ text: 'Incident Commander: — → Iris', at: T0 + 60_000, authorId: 'iris' })
    assignRole(doc, at(120, 'iris'), 'incidentCommander', 'alice')
    expect(lastEvent(doc).text).toBe('Incident Commander: Iris → Alice')
    expect(holderOf(readRoles(doc), 'incidentCommander')).toBe('alice')
  })

  it('keeps the history of who held which role from when to when', () => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    assignRole(doc, at(10), 'scribe', 'alice')
    assignRole(doc, at(20), 'scribe', 'bob')
    releaseRole(doc, at(30), 'scribe', 'bob')
    expect(readRoles(doc).periods).toEqual([
      { role: 'scribe', personId: 'alice', from: T0 + 10_000, to: T0 + 20_000 },
      { role: 'scribe', personId: 'bob', from: T0 + 20_000, to: T0 + 30_000 },
    ])
    expect(holderOf(readRoles(doc), 'scribe')).toBeUndefined()
    expect(lastEvent(doc).text).toBe('Scribe: Bob → —')
  })

  it('allows any number of subject matter experts', () => {
    const doc = docWithPeople('Alice', 'Bob', 'Carol')
    assignRole(doc, at(1), 'sme', 'alice')
    assignRole(doc, at(2), 'sme', 'bob')
    expect(readRoles(doc).holders.get('sme')).toEqual(['alice', 'bob'])
    releaseRole(doc, at(3), 'sme', 'alice')
    expect(readRoles(doc).holders.get('sme')).toEqual(['bob'])
    expect(lastEvent(doc).text).toBe('Subject Matter Expert: − Alice')
  })

  it('the IC holds no other role: taking command releases them, and the IC cannot be given one', () => {
    const doc = docWithPeople('Alice', 'Bob')
    assignRole(doc, at(1), 'scribe', 'alice')
    assignRole(doc, at(2), 'sme', 'alice')
    assignRole(doc, at(3), 'incidentCommander', 'alice')
    expect(rolesOf(readRoles(doc), 'alice')).toEqual(['incidentCommander'])
    expect(lastEvent(doc).text).toBe('Incident Commander: — → Alice (gives up Scribe, Subject Matter Expert)')
    expect(() => assignRole(doc, at(4), 'deputy', 'alice')).toThrow(/holds no other role/)
    expect(() => assignRole(doc, at(4), 'incidentCommander', 'alice')).toThrow(RoleError)
    expect(() => assignRole(doc, at(4), 'scribe', 'nobody')).toThrow(/not on this incident/)
    expect(() => releaseRole(doc, at(4), 'scribe', 'bob')).toThrow(/does not hold/)
  })

  it.each(['ab', 'ba'] as const)('concurrent hand-overs converge, merged in order %s', (order) => {
    const doc = docWithPeople('Iris', 'Alice', 'Bob')
    assignRole(doc, at(1), 'incidentCommander', 'iris')
    const peer = peerOf(doc)
    assignRole(doc, at(10, 'iris'), 'incidentCommander', 'alice')
    assignRole(peer, at(11, 'iris'), 'incidentCommander', 'bob')
    // Meanwhile someone makes Alice scribe, not knowing she is taking command.
    assignRole(peer, at(12, 'bob'), 'scribe', 'alice')
    const merged = mergeInOrder(doc, peer, order)
    const roles = readRoles(merged)
    expect(holderOf(roles, 'incidentCommander')).toBe('bob')
    // Alice was IC from 10 s to 11 s, then free, then scribe at 12 s.
    expect(holderOf(roles, 'scribe')).toBe('alice')
    expect(roles.periods.filter((p) => p.role === 'incidentCommander').map((p) => [p.personId, p.to])).toEqual([
      ['iris', T0 + 10_000],
      ['alice', T0 + 11_000],
      ['bob', undefined],
    ])
  })

  it('a role given to the sitting IC concurrently is ignored on every screen', () => {
    const doc = docWithPeople('Alice', 'Bob')
    const peer = peerOf(doc)
    assignRole(doc, at(10), 'incidentCommander', 'alice')
    assignRole(peer, at(20, 'bob'), 'deputy', 'alice')
    for (const order of ['ab', 'ba'] as const) {
      expect(rolesOf(readRoles(mergeInOrder(doc, peer, order)), 'alice')).toEqual(['incidentCommander'])
    }
  })
})

describe('people added by the IC', () => {
  it('adds someone from the roster once, with a timeline entry', () => {
    const doc = docWithPeople('Iris')
    addPerson(doc, at(5, 'iris'), { id: 'roster-bob', name: 'Bob' })
    addPerson(doc, at(6, 'iris'), { id: 'roster-bob', name: 'Bob' })
    expect(readPeople(doc).get('roster-bob')?.name).toBe('Bob')
    expect(readTimeline(doc).filter((e) => e.text === 'Iris added Bob to the incident')).toHaveLength(1)
  })
})

describe('span of control', () => {
  const bigTeam = () => docWithPeople('Iris', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8')

  it('warns past seven direct reports', () => {
    const doc = bigTeam()
    expect(spanOfControl(doc).overLimit).toBe(true)
    assignRole(doc, at(1), 'incidentCommander', 'iris')
    const span = spanOfControl(doc)
    expect(span.directReports).toHaveLength(8)
    expect(span.overLimit).toBe(true)
    expect(SPAN_OF_CONTROL_LIMIT).toBe(7)
  })

  it('sub-teams bring it back: members report to their leader', () => {
    const doc = bigTeam()
    assignRole(doc, at(1), 'incidentCommander', 'iris')
    formSubTeam(doc, at(2), 'Alpha', 'p1')
    setSubTeam(doc, at(3), 'p2', 'Alpha')
    setSubTeam(doc, at(4), 'p3', 'Alpha')
    expect(readSubTeams(doc)).toEqual([{ name: 'Alpha', leaderId: 'p1', members: ['p1', 'p2', 'p3'] }])
    const span = spanOfControl(doc)
    expect(span.directReports).toEqual(['p1', 'p4', 'p5', 'p6', 'p7', 'p8'])
    expect(span.overLimit).toBe(false)
    expect(readTimeline(doc).map((e) => e.text)).toEqual(expect.arrayContaining(['Sub-team Alpha formed, led by P1', 'P2 joins sub-team Alpha']))
  })

  it('refuses what makes no sense, and disbanding returns everyone to the IC', () => {
    const doc = bigTeam()
    assignRole(doc, at(1), 'incidentCommander', 'iris')
    expect(() => formSubTeam(doc, at(2), 'Alpha', 'iris')).toThrow(/cannot lead/)
    formSubTeam(doc, at(2), 'Bravo', 'p1')
    expect(() => formSubTeam(doc, at(3), 'Bravo', 'p2')).toThrow(SubTeamError)
    expect(() => setSubTeam(doc, at(3), 'p2', 'Charlie')).toThrow(/no sub-team/)
    expect(() => setSubTeam(doc, at(3), 'p1', undefined)).toThrow(/leads Bravo/)
    setSubTeam(doc, at(3), 'p2', 'Bravo')
    disbandSubTeam(doc, at(4), 'Bravo')
    expect(readSubTeams(doc)).toEqual([])
    expect(readPeople(doc).get('p2')?.subTeam).toBeUndefined()
  })
})
