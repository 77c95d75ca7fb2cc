// Alert intake: integrations (host token), the intake endpoint monitoring
// posts to (its key in the path is its only credential), and the alerts the
// host accepted. Each source is answered as it expects: PagerDuty's Events v2
// like PagerDuty, the others 200.
import type { Context } from 'hono'
import { type Normalised, normaliseAlertmanager, normaliseCloudWatch, normaliseEventsV2, normaliseGrafana } from '../../shared/alert-sources'
import { AlertPayloadError, type AlertSource } from '../../shared/alerts'
import { IntegrationPatchBody, NewIntegrationBody } from '../../shared/contract'
import { newId } from '../../shared/ids'
import type { TokenCheck } from './access'
import type { ApiContext, HostApp } from './api'
import { HttpError, allow, readBody, readJson } from './http-util'
import type { IntegrationRecord } from './records'
import { isSnsUrl } from './sns'

/** Monitoring payloads are small; PagerDuty's own limit. */
export const MAX_INTAKE_BODY = 512 * 1024
/** Per integration: this many requests a second on average… */
export const INTAKE_RATE = 100
/** …with bursts of this many. */
export const INTAKE_BURST = 600

const NORMALISERS: Record<AlertSource, (body: string) => Normalised> = {
  cloudwatch: normaliseCloudWatch,
  pagerduty: (body) => normaliseEventsV2(body, newId),
  alertmanager: normaliseAlertmanager,
  grafana: normaliseGrafana,
}

const intakeUrl = (ctx: ApiContext, record: IntegrationRecord): string => {
  const key = ctx.records.integrationKey(record)
  return key ? `${ctx.inviteBase()}/api/intake/${key}` : '(the key cannot be shown again: seal.key was lost; create the integration again)'
}

const view = (ctx: ApiContext, record: IntegrationRecord) => {
  const { keyHash: _hash, sealedKey: _sealed, ...fields } = record
  return { ...fields, url: intakeUrl(ctx, record), ...ctx.alerts.stats(record.id) }
}

/** A refusal as the source expects it: PagerDuty's shape for Events v2, ours for the rest. */
const refuse = (c: Context, record: IntegrationRecord, status: 400 | 403, problem: string) =>
  record.kind === 'pagerduty'
    ? c.json({ status: 'invalid event', message: status === 400 ? 'Event object is invalid' : problem, errors: [problem] }, status)
    : c.json({ error: problem }, status)

const confirmSubscription = async (ctx: ApiContext, record: IntegrationRecord, control: Extract<Normalised, { kind: 'subscribe' }>): Promise<void> => {
  // Only an SNS address is ever fetched; anything else waits for the IC to look at it.
  if (!isSnsUrl(control.subscribeUrl)) {
    ctx.records.setPendingConfirmation(record.id, { subscribeUrl: control.subscribeUrl, topicArn: control.topicArn, at: ctx.now() })
    return
  }
  const confirmed = await ctx
    .confirmSnsSubscription(control.subscribeUrl)
    .then(() => true)
    .catch((error: unknown) => (ctx.onError(error), false))
  ctx.records.setPendingConfirmation(record.id, confirmed ? undefined : { subscribeUrl: control.subscribeUrl, topicArn: control.topicArn, at: ctx.now() })
}

const intake = async (c: Context, ctx: ApiContext): Promise<Response> => {
  const record = ctx.records.integrationByKey(c.req.param('key') ?? '')
  if (!record) throw new HttpError(404, 'No integration has this address (it may have been removed).')
  const allowed = ctx.intakeLimit.take(record.id)
  if (!allowed.ok) {
    c.header('Retry-After', String(allowed.retryAfterSeconds))
    return c.json({ error: `Over ${INTAKE_RATE} requests a second (bursts of ${INTAKE_BURST}) for this integration; try again in ${allowed.retryAfterSeconds} s.` }, 429)
  }
  const body = new TextDecoder().decode(await readBody(c, MAX_INTAKE_BODY))
  let normalised: Normalised
  try {
    normalised = NORMALISERS[record.kind](body)
  } catch (error) {
    if (error instanceof AlertPayloadError) return refuse(c, record, 400, error.message)
    throw error
  }
  if (record.kind === 'cloudwatch' && record.verifySignatures) {
    const check = await ctx.sns.check(JSON.parse(body) as Record<string, unknown>)
    if (!check.ok) return refuse(c, record, 403, `The SNS signature does not verify: ${check.problem}. Nothing was accepted.`)
  }
  if (normalised.kind === 'subscribe') {
    await confirmSubscription(ctx, record, normalised)
    return c.json({ ok: true, subscription: isSnsUrl(normalised.subscribeUrl) ? 'confirming' : 'waiting for the IC to confirm it by hand' })
  }
  if (normalised.kind === 'unsubscribed') return c.json({ ok: true })
  // While the disk refuses, nothing new is taken (monitoring keeps it and sends again): try first.
  if (ctx.alerts.isFailing) await ctx.alerts.flush()
  const applied = normalised.events.map((event) => ctx.alerts.apply(record.id, event))
  const declared = ctx.router.route(record, applied)
  // Accepted means on disk: monitoring sends it again otherwise.
  await ctx.alerts.flush()
  await declared
  if (record.kind === 'pagerduty') return c.json({ status: 'success', message: 'Event processed', dedup_key: applied[0]!.alert.key }, 202)
  return c.json({ ok: true, accepted: applied.filter((a) => a.change !== 'duplicate').length, duplicates: applied.filter((a) => a.change === 'duplicate').length })
}

export const intakeRoutes = (app: HostApp, ctx: ApiContext, check: TokenCheck): void => {
  app.get('/api/integrations', allow(check, 'host'), (c) => c.json({ integrations: ctx.records.integrations().map((r) => view(ctx, r)) }))
  app.post('/api/integrations', allow(check, 'host'), async (c) => {
    const { record } = await ctx.records.addIntegration(await readJson(c, NewIntegrationBody), ctx.now())
    return c.json({ id: record.id, name: record.name, kind: record.kind, url: intakeUrl(ctx, record) }, 201)
  })
  app.put('/api/integrations/:id', allow(check, 'host'), async (c) => {
    const updated = await ctx.records.updateIntegration(c.req.param('id'), await readJson(c, IntegrationPatchBody))
    if (!updated) throw new HttpError(404, 'No such integration.')
    return c.json(view(ctx, updated))
  })
  app.delete('/api/integrations/:id', allow(check, 'host'), async (c) => {
    if (!(await ctx.records.removeIntegration(c.req.param('id')))) throw new HttpError(404, 'No such integration.')
    ctx.intakeLimit.forget(c.req.param('id'))
    return c.body(null, 204)
  })
  // The key in the path is the credential: no token.
  app.post('/api/intake/:key', allow(check, 'anyone'), (c) => intake(c, ctx))
}
