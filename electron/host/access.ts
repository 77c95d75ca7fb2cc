// Who may call what: one rule for every route (docs/API.md, "Who may call
// what"). Each route declares the access it needs once, in the route table;
// nothing else checks tokens.
//
// 1. No token, or a token that opens nothing on this host: 401.
// 2. An incident route for an incident this host does not have: 404.
// 3. A valid token that does not reach this far (a view link that would
//    write, an edit link that would administer, another incident's link): 403.

/** What a route needs. */
export type Access =
  /** No token: health, the host clock. */
  | 'anyone'
  /** The host token: administration. */
  | 'host'
  /** The host token or any incident's edit link: host-wide lists a responder uses (roster, catalog). */
  | 'editor'
  /** The host token or any incident's link: host-wide settings every board reads. */
  | 'member'
  /** The host token or a link to the incident the route names. */
  | { incident: 'read' | 'edit'; from: 'param' | 'query' }

export type Caller = 'host' | 'edit' | 'view' | 'anyone'

/** What the records know about a token (an incident link matches one incident at most). */
export interface TokenCheck {
  isHostToken: (token: string) => boolean
  /** The incident a link belongs to, and which link it is. */
  linkOf: (token: string) => { incidentId: string; access: 'edit' | 'view' } | undefined
  incidentExists: (id: string) => boolean
}

export type Decision = { ok: true; caller: Caller } | { ok: false; status: 401 | 403 | 404; error: string }

const deny = (status: 401 | 403 | 404, error: string): Decision => ({ ok: false, status, error })

const describe = (access: Access): string => {
  if (access === 'host') return 'the host token'
  if (access === 'editor') return 'the host token or a responder link'
  if (access === 'member') return 'the host token or a link to an incident'
  if (access === 'anyone') return 'nothing'
  return access.incident === 'edit' ? "the host token or this incident's responder link" : 'the host token or a link to this incident'
}

/**
 * The one rule. `incidentId`: the incident the route names (path or query),
 * when it names one; an incident route without one lets only the host token
 * through (it means "every incident").
 */
export const decide = (access: Access, token: string | undefined, incidentId: string | undefined, check: TokenCheck): Decision => {
  if (access === 'anyone') return { ok: true, caller: 'anyone' }
  const needs = `This needs ${describe(access)}.`
  if (!token) return deny(401, `${needs} Send it as Authorization: Bearer <token>.`)
  const host = check.isHostToken(token)
  const link = host ? undefined : check.linkOf(token)
  if (!host && !link) return deny(401, `That token opens nothing on this host. ${needs}`)
  if (typeof access === 'object' && incidentId !== undefined && !check.incidentExists(incidentId)) return deny(404, `No incident ${incidentId} on this host.`)
  if (host) return { ok: true, caller: 'host' }
  const { access: kind, incidentId: ownIncident } = link!
  const allowed =
    access === 'member' ||
    (access === 'editor' && kind === 'edit') ||
    (typeof access === 'object' && incidentId === ownIncident && (access.incident === 'read' || kind === 'edit'))
  return allowed ? { ok: true, caller: kind } : deny(403, `That link cannot do this. ${needs}`)
}
