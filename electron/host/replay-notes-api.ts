// Facilitators' notes on a replay: at a moment, with a name; kept in the
// host's records beside the incident, so they never change its record (the
// document and its update log stay as the incident left them).
import { NewReplayNoteBody } from '../../shared/contract'
import { newId } from '../../shared/ids'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { HttpError, allow, readJson } from './http-util'

/** A replay is the record's business: the host, or an edit link to that incident (docs/API.md). */
const EDIT = { incident: 'edit', from: 'param' } as const

export const replayNotesRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  const requireIncident = (id: string): void => {
    if (!ctx.records.find(id)) throw new HttpError(404, `No incident ${id} on this host.`)
  }
  app.get('/api/incidents/:id/replay-notes', allow(check, EDIT), (c) => {
    const id = c.req.param('id')
    requireIncident(id)
    return c.json({ notes: ctx.records.replayNotes(id) })
  })
  app.post('/api/incidents/:id/replay-notes', allow(check, EDIT), async (c) => {
    const incidentId = c.req.param('id')
    requireIncident(incidentId)
    const body = await readJson(c, NewReplayNoteBody)
    const note = { id: newId(), incidentId, ...body, createdAt: ctx.now() }
    await ctx.records.addReplayNote(note)
    return c.json(note, 201)
  })
  app.delete('/api/incidents/:id/replay-notes/:noteId', allow(check, EDIT), async (c) => {
    const incidentId = c.req.param('id')
    requireIncident(incidentId)
    if (!(await ctx.records.removeReplayNote(incidentId, c.req.param('noteId')))) throw new HttpError(404, 'There is no such note on this incident.')
    return c.body(null, 204)
  })
}
