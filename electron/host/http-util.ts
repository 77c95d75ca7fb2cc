import type { IncomingMessage, ServerResponse } from 'node:http'
import * as v from 'valibot'

/** An answer to bad input: a status and a sentence saying what is wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

export const MAX_JSON_BODY = 256 * 1024

export const readJson = async (req: IncomingMessage, limit = MAX_JSON_BODY): Promise<unknown> => {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw new HttpError(413, `The request body is over ${limit} bytes.`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new HttpError(413, `The request body is over ${limit} bytes.`)
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') throw new HttpError(400, 'The request body is empty; send JSON.')
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON (${(error as Error).message}).`)
  }
}

/** Parse with a valibot schema; the first issue becomes a 400 naming the field. */
export const parseBody = <S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> => {
  const result = v.safeParse(schema, body)
  if (result.success) return result.output
  const issue = result.issues[0]
  const path = v.getDotPath(issue)
  throw new HttpError(400, path ? `${path}: ${issue.message}` : issue.message)
}

export const bearerToken = (req: IncomingMessage): string | undefined => {
  const header = req.headers.authorization
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}
