// The postmortem as Markdown (shared/postmortem.ts), for a wiki, a tracker or
// the print page: the host, or an edit link to that incident (docs/API.md).
import { postmortemMarkdown } from '../../shared/postmortem'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { HttpError, allow } from './http-util'

const EDIT = { incident: 'edit', from: 'param' } as const

export const postmortemRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/incidents/:id/postmortem.md', allow(check, EDIT), async (c) => {
    const id = c.req.param('id')
    if (!ctx.records.find(id)) throw new HttpError(404, `No incident ${id} on this host.`)
    const text = await ctx.registry.withRoom(id, (room) => postmortemMarkdown(room.doc))
    return c.body(text, 200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Content-Disposition': `inline; filename="postmortem-${id}.md"` })
  })
}
