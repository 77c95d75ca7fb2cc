import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { IncidentError, declareIncident, readMeta, setIncidentStatus, setSeverity, setTitle } from '../../shared/incident'
import { PeopleError, colorFor, joinIncident, readPeople } from '../../shared/people'
import { SCHEMA_VERSION } from '../../shared/schema'
import { readTimeline } from '../../shared/timeline'
import { T0, at, declaredDoc, peerOf, syncDocs } from './helpers/doc'

const events = (doc: Y.Doc) => readTimeline(doc).filter((e) => e.kind === 'event').map((e) => e.text)

describe('declaring an incident', () => {
  it('sets the header facts and writes the first timeline entry', () => {
    const doc = declaredDoc()
    expect(readMeta(doc)).toEqual({
      schemaVersion: SCHEMA_VERSION,
      id: 'inc-1',
      title: 'Checkout down',
      severity: 'SEV-2',
      status: 'investigating',
      milestones: { startedAt: T0 },
      declaredBy: 'host',
    })
    expect(events(doc)).toEqual(['Incident declared: Checkout down (SEV-2)'])
  })

  it('refuses a second declaration and bad fields', () => {
    const doc = declaredDoc()
    expect(() => declareIncident(doc, at(1), { id: 'x', title: 'Again', severity: 'SEV-1' })).toThrow(/already/)
    expect(() => declareIncident(new Y.Doc(), at(1), { id: 'x', title: ' ', severity: 'SEV-1' })).toThrow(/title/)
    expect(() => declareIncident(new Y.Doc(), at(1), { id: 'x', title: 'A', severity: 'SEV-9' as never })).toThrow(/Severity/)
  })
})

describe('header changes write their timeline entry', () => {
  it('severity', () => {
    const doc = declaredDoc()
    setSeverity(doc, at(60), 'SEV-1')
    setSeverity(doc, at(61), 'SEV-1')
    expect(readMeta(doc)?.severity).toBe('SEV-1')
    expect(events(doc)).toEqual(['Incident declared: Checkout down (SEV-2)', 'Severity SEV-2 → SEV-1'])
    const entry = readTimeline(doc).at(-1)!
    expect(entry).toMatchObject({ authorId: 'alice', at: T0 + 60_000, event: { type: 'severity.changed', from: 'SEV-2', to: 'SEV-1' } })
  })

  it('title', () => {
    const doc = declaredDoc()
    setTitle(doc, at(5), 'Checkout and cart down')
    expect(readMeta(doc)?.title).toBe('Checkout and cart down')
    expect(events(doc).at(-1)).toBe('Title: Checkout down → Checkout and cart down')
    expect(() => setTitle(doc, at(6), '')).toThrow(IncidentError)
  })

  it('status sets mitigated and resolved milestones; reopening clears resolved', () => {
    const doc = declaredDoc()
    setIncidentStatus(doc, at(600), 'monitoring')
    expect(readMeta(doc)?.milestones).toEqual({ startedAt: T0, mitigatedAt: T0 + 600_000 })
    setIncidentStatus(doc, at(1200), 'resolved')
    expect(readMeta(doc)?.milestones.resolvedAt).toBe(T0 + 1_200_000)
    setIncidentStatus(doc, at(1300), 'investigating')
    expect(readMeta(doc)?.milestones).toEqual({ startedAt: T0, mitigatedAt: T0 + 600_000 })
    expect(events(doc).slice(1)).toEqual([
      'Status investigating → monitoring',
      'Status monitoring → resolved',
      'Status resolved → investigating',
    ])
  })


  it('refuses changes before the incident is loaded', () => {
    expect(() => setSeverity(new Y.Doc(), at(1), 'SEV-1')).toThrow(/not loaded/)
  })
})

describe('people', () => {
  it('the first join writes "joined"; a rename is recorded; a rejoin writes nothing', () => {
    const doc = declaredDoc()
    joinIncident(doc, at(10), { name: '  Alice   Smith ' })
    joinIncident(doc, at(20), { name: 'Alice Smith' })
    joinIncident(doc, at(30), { name: 'Alice S.' })
    expect(readPeople(doc).get('alice')).toEqual({ id: 'alice', name: 'Alice S.', color: colorFor('alice'), joinedAt: T0 + 10_000 })
    expect(events(doc).slice(1)).toEqual(['Alice Smith joined', 'Alice Smith is now Alice S.'])
    expect(() => joinIncident(doc, at(40), { name: '' })).toThrow(PeopleError)
  })

  it('two people joining while offline both appear after the merge', () => {
    const doc = declaredDoc()
    const peer = peerOf(doc)
    joinIncident(doc, at(10), { name: 'Alice' })
    joinIncident(peer, at(11, 'bob'), { name: 'Bob' })
    syncDocs(doc, peer)
    expect([...readPeople(doc).values()].map((p) => p.name).sort()).toEqual(['Alice', 'Bob'])
  })
})
