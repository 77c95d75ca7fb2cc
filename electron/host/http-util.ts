// What every route shares: the error answer, reading a JSON body within a size
// limit and checking it against its schema (shared/contract.ts), the caller's
// token, and the access guard.
import type { HttpBindings } from '@hono/node-server'
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import * as v from 'valibot'
import { type Access, type Caller, type TokenCheck, decide } from './access'

/** An answer to bad input: a status and a sentence saying what is wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500 | 503 | 507,
    message: string,
  ) {
    super(message)
  }
}

/** `incoming`: the Node request under Hono's (node-server passes it), read directly for big bodies. */
export type HostEnv = { Bindings: Partial<HttpBindings>; Variables: { caller: Caller } }

export const MAX_JSON_BODY = 256 * 1024

export const bearerToken = (c: Context): string | undefined => {
  const header = c.req.header('authorization')
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}

/** The body as bytes, refused past `limit` (declared or sent) without reading the rest. */
export const readBody = async (c: Context, limit: number): Promise<Uint8Array> => {
  const tooBig = (): HttpError => new HttpError(413, `The request body is over ${limit} bytes.`)
  if (Number(c.req.header('content-length') ?? 0) > limit) throw tooBig()
  const chunks: Uint8Array[] = []
  let size = 0
  // Straight from Node's request: the web stream in between copies every chunk on this thread.
  const body = (c.env as HostEnv['Bindings'] | undefined)?.incoming ?? c.req.raw.body
  if (body) {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length
      if (size > limit) throw tooBig()
      chunks.push(chunk)
    }
  }
  return Buffer.concat(chunks)
}

/** The first issue as "field: message", the way every 400 names what is wrong. */
export const firstIssue = (issues: readonly v.BaseIssue<unknown>[]): string => {
  const issue = issues[0]!
  const path = v.getDotPath(issue)
  return path ? `${path}: ${issue.message}` : issue.message
}

/** Check a value against a schema; the first issue becomes a 400 naming the field. */
export const parseBody = <S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> => {
  const result = v.safeParse(schema, value)
  if (result.success) return result.output
  throw new HttpError(400, firstIssue(result.issues))
}

/** A JSON body's bytes checked against `schema`: empty, not JSON, or an invalid field is a 400 saying which. */
export const parseJson = <S extends v.GenericSchema>(bytes: Uint8Array, schema: S): v.InferOutput<S> => {
  const text = new TextDecoder().decode(bytes)
  if (text.trim() === '') throw new HttpError(400, 'The request body is empty; send JSON.')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON (${(error as Error).message.split('\n')[0]}).`)
  }
  return parseBody(schema, value)
}

/** Read a JSON body within `limit` and check it against `schema` (any Content-Type: curl users forget it). */
export const readJson = async <S extends v.GenericSchema>(c: Context, schema: S, limit = MAX_JSON_BODY): Promise<v.InferOutput<S>> =>
  parseJson(await readBody(c, limit), schema)

/**
 * The route's access, declared once where the route is: the one rule in
 * access.ts decides, and the caller ('host', 'edit', 'view') is kept for the
 * handler.
 */
export const allow = (check: TokenCheck, access: Access): MiddlewareHandler<HostEnv> =>
  createMiddleware<HostEnv>(async (c, next) => {
    const incidentId = typeof access === 'object' ? (access.from === 'param' ? c.req.param('id') : c.req.query('incident')) : undefined
    const decision = decide(access, bearerToken(c), incidentId, check)
    if (!decision.ok) throw new HttpError(decision.status, decision.error)
    c.set('caller', decision.caller)
    await next()
  })
