// The roster: people who may be called into an incident (name, team, contact,
// skills). Anyone with an edit link may read it and add themselves or others;
// only the host token removes people.
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as v from 'valibot'
import { MAX_NAME_LENGTH } from '../../shared/people'
import type { ApiContext } from './api'
import { HttpError, bearerToken, parseBody, readJson, sendJson } from './http-util'

const text = (field: string, max: number) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.maxLength(max, `${field} must be at most ${max} characters`))

const fields = {
  team: v.optional(text('team', 80)),
  contact: v.optional(text('contact', 200)),
  skills: v.optional(v.pipe(v.array(v.pipe(text('a skill', 40), v.minLength(1, 'skills must not be empty'))), v.maxLength(20, 'at most 20 skills'))),
}
const name = v.pipe(text('name', MAX_NAME_LENGTH), v.minLength(1, 'name must not be empty'))

export const NewRosterPersonBody = v.object({ name, ...fields })
export const RosterPersonPatchBody = v.object({ name: v.optional(name), ...fields })

/** Host token, or an edit token of any incident (a responder joining by link). */
const requireEditor = (ctx: ApiContext, req: IncomingMessage): 'host' | 'edit' => {
  const token = bearerToken(req)
  if (token && ctx.isHostToken(token)) return 'host'
  if (token && ctx.records.hasEditAccessAnywhere(token)) return 'edit'
  throw new HttpError(401, 'The roster needs the host token or a responder link.')
}

export const handleRoster = async (ctx: ApiContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
  const method = req.method ?? 'GET'
  if (pathname === '/api/roster') {
    if (method === 'GET') {
      requireEditor(ctx, req)
      sendJson(res, 200, { people: ctx.records.roster() })
      return true
    }
    if (method === 'POST') {
      requireEditor(ctx, req)
      const body = parseBody(NewRosterPersonBody, await readJson(req))
      sendJson(res, 201, await ctx.records.addToRoster({ ...body, skills: body.skills ?? [] }, ctx.now()))
      return true
    }
    return false
  }
  const match = /^\/api\/roster\/([A-Za-z0-9_-]{1,64})$/.exec(pathname)
  if (!match) return false
  const id = match[1]!
  if (method === 'PUT') {
    requireEditor(ctx, req)
    const body = parseBody(RosterPersonPatchBody, await readJson(req))
    const person = await ctx.records.updateRosterPerson(id, body)
    if (!person) throw new HttpError(404, `Nobody with id ${id} on the roster.`)
    sendJson(res, 200, person)
    return true
  }
  if (method === 'DELETE') {
    if (requireEditor(ctx, req) !== 'host') throw new HttpError(403, 'Only the host token removes people from the roster.')
    if (!(await ctx.records.removeFromRoster(id))) throw new HttpError(404, `Nobody with id ${id} on the roster.`)
    res.writeHead(204).end()
    return true
  }
  return false
}
