// The roster: people who may be called into an incident (name, team, contact,
// skills). Anyone with an edit link may read it and add themselves or others;
// only the host token removes people.
import { NewRosterPersonBody, RosterPersonPatchBody } from '../../shared/contract'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { HttpError, allow, readJson } from './http-util'

export const rosterRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/roster', allow(check, 'editor'), (c) => c.json({ people: ctx.records.roster() }))
  app.post('/api/roster', allow(check, 'editor'), async (c) => {
    const body = await readJson(c, NewRosterPersonBody)
    return c.json(await ctx.records.addToRoster({ ...body, skills: body.skills ?? [] }, ctx.now()), 201)
  })
  app.put('/api/roster/:id', allow(check, 'editor'), async (c) => {
    const person = await ctx.records.updateRosterPerson(c.req.param('id'), await readJson(c, RosterPersonPatchBody))
    if (!person) throw new HttpError(404, `Nobody with id ${c.req.param('id')} on the roster.`)
    return c.json(person)
  })
  app.delete('/api/roster/:id', allow(check, 'host'), async (c) => {
    if (!(await ctx.records.removeFromRoster(c.req.param('id')))) throw new HttpError(404, `Nobody with id ${c.req.param('id')} on the roster.`)
    return c.body(null, 204)
  })
}
