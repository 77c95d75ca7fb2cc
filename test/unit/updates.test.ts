import { describe, expect, it } from 'vitest'
import { type CadenceInput, DEFAULT_CADENCE, cadenceClock, nextUpdateAt, severityBand } from '../../shared/cadence'
import { setIncidentStatus, setSeverity } from '../../shared/incident'
import { assignRole } from '../../shared/roles'
import { loadCatalog, setServiceStatus } from '../../shared/services'
import { createTask } from '../../shared/tasks'
import { DEFAULT_TEMPLATES, elapsedInWords, fillText } from '../../shared/templates'
import { readTimeline } from '../../shared/timeline'
import { escapeMarkdown, escapeSlack, markdown, slackBody } from '../../shared/update-formats'
import {
  approvalState,
  approveDraft,
  boardFacts,
  cadenceInput,
  editDraftField,
  fillDraft,
  previewUpdate,
  publishUpdate,
  readDraft,
  readPublishedUpdates,
  returnDraft,
  setDraftStatus,
  submitDraft,
} from '../../shared/updates'
import { T0, at, docWithPeople, peerOf, syncDocs } from './helpers/doc'

const MIN = 60_000

const board = () => {
  const doc = docWithPeople('Iris', 'Lena', 'Bob')
  assignRole(doc, at(10, 'iris'), 'incidentCommander', 'iris')
  loadCatalog(
    doc,
    at(11),
    {
      services: [
        { id: 'checkout', name: 'Checkout', kind: 'system', business: true },
        { id: 'payments', name: 'Payments API', kind: 'component', business: false },
        { id: 'db', name: 'Orders DB', kind: 'resource', business: false },
      ],
      dependencies: [
        { from: 'checkout', to: 'payments' },
        { from: 'payments', to: 'db' },
      ],
    },
    'test',
  )
  setServiceStatus(doc, at(12, 'iris'), 'db', 'majorOutage')
  createTask(doc, at(13, 'iris'), { title: 'Fail over the orders DB', ownerId: 'bob', checkBackMinutes: 10 })
  return doc
}

const publish = (doc: ReturnType<typeof board>, seconds: number, by = 'lena', requireApproval = false) =>
  publishUpdate(doc, at(seconds, by), { id: `u${seconds}`, audience: 'customer', requireApproval, cadence: DEFAULT_CADENCE })

describe('templates', () => {
  it('fill themselves from the board: severity, elapsed time, impacted business services, open tasks, the IC', () => {
    const doc = board()
    const facts = boardFacts(doc, T0 + 85 * MIN)
    expect(facts).toMatchObject({ severity: 'SEV-2', elapsed: '1 h 25 min', impactedServices: ['Checkout'], commander: 'Iris' })
    expect(fillText(DEFAULT_TEMPLATES.internal.fields[0]!.text, facts)).toBe(
      'SEV-2, investigating for 1 h 25 min. Impacted: Checkout. Incident commander: Iris.',
    )
    expect(fillText('{{openTasks}}', facts)).toBe('- Fail over the orders DB (Bob)')
    createTask(doc, at(14, 'iris'), { title: 'Freeze deploys', ownerId: 'lena', highPriority: true })
    expect(fillText('{{openTasks}}', boardFacts(doc, T0 + 85 * MIN))).toBe('- Freeze deploys (Lena, high priority)\n- Fail over the orders DB (Bob)')
    expect(fillText('{{impactedCount}} impacted; {{nonsense}} stays', facts)).toBe('1 impacted; {{nonsense}} stays')
  })

  it('say so plainly when nothing is known yet', () => {
    const doc = docWithPeople('Iris')
    const facts = boardFacts(doc, T0)
    expect(fillText('{{impactedServices}} / {{commander}} / {{openTasks}}', facts)).toBe('some of our services / not yet assigned / No open tasks.')
    expect(elapsedInWords(0)).toBe('0 min')
    expect(elapsedInWords(120 * MIN)).toBe('2 h')
  })
})

describe('drafts', () => {
  it('are edited by two people at once and merge character by character', () => {
    const doc = board()
    fillDraft(doc, at(20, 'lena'), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(doc, T0 + 20_000))
    const peer = peerOf(doc)
    const start = readDraft(doc, 'customer')!.fields[1]!.text
    editDraftField(doc, 'customer', 'actions', `We failed over. ${start}`)
    editDraftField(peer, 'customer', 'actions', `${start} ETA 15 min.`)
    syncDocs(doc, peer)
    expect(readDraft(doc, 'customer')!.fields[1]!.text).toBe(`We failed over. ${start} ETA 15 min.`)
    expect(readDraft(peer, 'customer')).toEqual(readDraft(doc, 'customer'))
  })

  it('need the IC when the host asks for approval; an edit after approval needs approval again', () => {
    const doc = board()
    fillDraft(doc, at(20, 'lena'), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(doc, T0))
    expect(approvalState(readDraft(doc, 'customer')!, true)).toBe('needed')
    expect(() => publish(doc, 30, 'lena', true)).toThrow(/approve/)
    submitDraft(doc, at(31, 'lena'), 'customer')
    expect(() => approveDraft(doc, at(32, 'bob'), 'customer')).toThrow('Only the incident commander approves updates.')
    returnDraft(doc, at(33, 'iris'), 'customer', 'Say which region')
    expect(readDraft(doc, 'customer')!.review).toMatchObject({ state: 'returned', comment: 'Say which region', by: 'iris' })
    editDraftField(doc, 'customer', 'impact', 'Checkout is failing in eu-west.')
    submitDraft(doc, at(34, 'lena'), 'customer')
    approveDraft(doc, at(35, 'iris'), 'customer')
    expect(approvalState(readDraft(doc, 'customer')!, true)).toBe('approved')
    setDraftStatus(doc, 'customer', 'identified')
    expect(approvalState(readDraft(doc, 'customer')!, true)).toBe('changed')
    expect(() => publish(doc, 36, 'lena', true)).toThrow(/changed after the IC approved/)
    approveDraft(doc, at(37, 'iris'), 'customer')
    const update = publish(doc, 38, 'lena', true)
    expect(update).toMatchObject({ author: { id: 'lena', name: 'Lena' }, approver: { id: 'iris', name: 'Iris' }, publicStatus: 'identified' })
    expect(approvalState(readDraft(doc, 'customer')!, true)).toBe('needed')
    expect(readTimeline(doc).map((e) => e.text)).toEqual(
      expect.arrayContaining([
        'Customers update submitted for approval',
        'Customers update sent back: Say which region',
        'Customers update approved',
        'Customers update published (Identified)',
      ]),
    )
  })
})

describe('published updates', () => {
  it('freeze the text as sent, with author, host time and the next update promised', () => {
    const doc = board()
    fillDraft(doc, at(20, 'lena'), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(doc, T0))
    const update = publish(doc, 4 * 60)
    expect(update.publishedAt).toBe(T0 + 4 * MIN)
    // First customer update: the scoping update is due 5 minutes later.
    expect(update.nextUpdateAt).toBe(T0 + 9 * MIN)
    expect(update.text).toContain('Investigating: Checkout down')
    expect(update.text).toContain('Next update by 14:09 UTC.')
    expect(update.impactedServices).toEqual(['Checkout'])
    expect(Object.isFrozen(update)).toBe(true)
    // Editing the draft afterwards leaves what was published untouched.
    editDraftField(doc, 'customer', 'impact', 'changed later')
    expect(readPublishedUpdates(doc)[0]).toEqual(update)
    expect(() => publishUpdate(doc, at(300, 'lena'), { id: update.id, audience: 'customer', requireApproval: false, cadence: DEFAULT_CADENCE })).toThrow(/never change/)
    const entry = readTimeline(doc).find((e) => e.event?.type === 'update.published')!
    expect(entry).toMatchObject({ authorId: 'lena', links: { updateId: update.id } })
  })

  it('cannot be published from an empty draft or without one', () => {
    const doc = board()
    expect(() => publish(doc, 30)).toThrow(/no customers draft/)
    fillDraft(doc, at(20, 'lena'), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(doc, T0))
    editDraftField(doc, 'customer', 'impact', '')
    editDraftField(doc, 'customer', 'actions', '  ')
    expect(() => publish(doc, 30)).toThrow('The draft is empty.')
  })
})

describe('formats', () => {
  const update = () => {
    const doc = board()
    fillDraft(doc, at(20, 'lena'), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(doc, T0))
    editDraftField(doc, 'customer', 'impact', '<script>alert(1)</script> & *all* of [checkout](http://evil)')
    return publish(doc, 60)
  }

  it('escape what Slack and Markdown would interpret', () => {
    const body = slackBody(update())
    expect(JSON.stringify(body)).not.toContain('<script>')
    expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } })
    expect(escapeSlack('<a> & b')).toBe('&lt;a&gt; &amp; b')
    expect(markdown(update())).toContain('\\[checkout\\]\\(http://evil\\)')
    expect(escapeMarkdown('*x*')).toBe('\\*x\\*')
  })
})

describe('cadence', () => {
  const input = (over: Partial<CadenceInput> = {}): CadenceInput => ({ severity: 'SEV-1', status: 'investigating', startedAt: T0, published: [], changes: [], ...over })

  it('asks for the first customer update within 5 minutes, amber when close, red when overdue', () => {
    expect(cadenceClock(DEFAULT_CADENCE, 'customer', input(), T0 + MIN)).toMatchObject({ state: 'soon', dueAt: T0 + 5 * MIN, reason: 'first' })
    expect(cadenceClock(DEFAULT_CADENCE, 'executive', input(), T0 + MIN)).toMatchObject({ state: 'ok', dueAt: T0 + 30 * MIN })
    expect(cadenceClock(DEFAULT_CADENCE, 'customer', input(), T0 + 6 * MIN)).toMatchObject({ state: 'overdue' })
  })

  it('is tighter for SEV-1 and SEV-2 than for SEV-3, and slower after two hours', () => {
    expect(severityBand('SEV-2')).toBe('high')
    const next = (severity: 'SEV-1' | 'SEV-3', minutes: number, earlier = 1) =>
      (nextUpdateAt(DEFAULT_CADENCE, 'customer', { severity, publicStatus: 'identified', startedAt: T0, publishedAt: T0 + minutes * MIN, earlierUpdates: earlier })! - T0) / MIN
    expect(next('SEV-1', 30)).toBe(50)
    expect(next('SEV-3', 30)).toBe(60)
    expect(next('SEV-1', 130)).toBe(190)
    expect(next('SEV-1', 4, 0)).toBe(9)
    expect(nextUpdateAt(DEFAULT_CADENCE, 'customer', { severity: 'SEV-1', publicStatus: 'resolved', startedAt: T0, publishedAt: T0, earlierUpdates: 3 })).toBeUndefined()
  })

  it('keeps the promised time, and a status or severity change makes an update due at once', () => {
    const published = [{ publishedAt: T0 + 110 * MIN, nextUpdateAt: T0 + 130 * MIN, publicStatus: 'identified' as const }]
    expect(cadenceClock(DEFAULT_CADENCE, 'customer', input({ published }), T0 + 125 * MIN)).toMatchObject({ dueAt: T0 + 130 * MIN, promisedAt: T0 + 130 * MIN, reason: 'promised', state: 'soon' })
    const changed = cadenceClock(DEFAULT_CADENCE, 'customer', input({ published, changes: [T0 + 115 * MIN] }), T0 + 116 * MIN)
    expect(changed).toMatchObject({ dueAt: T0 + 115 * MIN, reason: 'changed', state: 'overdue', promisedAt: T0 + 130 * MIN })
  })

  it('reads the board: a severity change after the last update shows; a resolved update ends the clock', () => {
    const doc = board()
    fillDraft(doc, at(20, 'lena'), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(doc, T0))
    publish(doc, 60)
    const clock = (seconds: number) => {
      const read = cadenceInput(doc)!
      return cadenceClock(DEFAULT_CADENCE, 'customer', { ...read, published: read.published.filter((u) => u.audience === 'customer') }, T0 + seconds * 1000)
    }
    expect(clock(120)).toMatchObject({ state: 'soon', reason: 'promised', dueAt: T0 + 6 * MIN })
    setSeverity(doc, at(180, 'iris'), 'SEV-1')
    expect(clock(181)).toMatchObject({ state: 'overdue', reason: 'changed', dueAt: T0 + 180_000 })
    setIncidentStatus(doc, at(200, 'iris'), 'resolved')
    setDraftStatus(doc, 'customer', 'resolved')
    publish(doc, 240)
    expect(clock(300)).toMatchObject({ state: 'done' })
  })
})

describe('the composer preview', () => {
  it('shows the published update (its time and "next update by") while the draft still says the same, and a fresh composition once it is edited', () => {
    const doc = board()
    fillDraft(doc, at(20, 'lena'), 'customer', DEFAULT_TEMPLATES.customer, boardFacts(doc, T0 + 20_000))
    const options = { id: 'preview', audience: 'customer' as const, requireApproval: false, cadence: DEFAULT_CADENCE }
    expect(previewUpdate(doc, at(60, 'lena'), options).published).toBe(false)
    const published = publish(doc, 95)
    // A minute later the draft is unchanged: the preview is what went out, not a new "next update by".
    const after = previewUpdate(doc, at(155, 'lena'), options)
    expect(after).toEqual({ update: published, published: true })
    expect(after.update.nextUpdateAt).toBe(published.nextUpdateAt)
    editDraftField(doc, 'customer', 'actions', 'The orders DB has failed over; errors are falling.')
    const next = previewUpdate(doc, at(215, 'lena'), options)
    expect(next.published).toBe(false)
    expect(next.update.publishedAt).toBe(T0 + 215_000)
  })
})
