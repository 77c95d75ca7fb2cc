// Every fixture in test/fixtures/alerts (real payloads, see SOURCES.md) normalised.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normaliseAlertmanager, normaliseCloudWatch, normaliseEventsV2, normaliseGrafana } from '../../shared/alert-sources'
import { AlertPayloadError, labelsKey, sourceTime } from '../../shared/alerts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8')
const events = (n: ReturnType<typeof normaliseCloudWatch>) => {
  if (n.kind !== 'events') throw new Error(`expected events, got ${n.kind}`)
  return n.events
}

describe('CloudWatch alarms through SNS', () => {
  it('ALARM fires, keyed on the alarm (not the Subject), with its dimensions as labels and the SNS MessageId as delivery', () => {
    const [event] = events(normaliseCloudWatch(fixture('cloudwatch-sns-alarm-ALARM.alerta.json')))
    expect(event).toMatchObject({
      source: 'cloudwatch',
      state: 'firing',
      severity: 'error',
      labels: { AlarmName: expect.any(String), MetricName: 'BucketSizeBytes', Namespace: 'AWS/S3', 'dimension.BucketName': 'try.alerta.io', 'dimension.StorageType': 'StandardStorage' },
      at: Date.parse('2019-02-15T23:53:45.093Z'),
    })
    expect(event!.key).toContain(event!.labels.AlarmName)
    expect(event!.deliveryId).toBe(JSON.parse(fixture('cloudwatch-sns-alarm-ALARM.alerta.json')).MessageId)
  })

  it('OK resolves; INSUFFICIENT_DATA is its own state, never resolved', () => {
    expect(events(normaliseCloudWatch(fixture('cloudwatch-sns-alarm-OK.cloudforet.json')))[0]).toMatchObject({ state: 'resolved', labels: { MetricName: 'CPUUtilization' } })
    const insufficient = events(normaliseCloudWatch(fixture('cloudwatch-sns-alarm-INSUFFICIENT_DATA.alerta.json')))[0]!
    expect(insufficient.state).toBe('insufficient')
    // Keyed on AlarmName ("notificationCountAlarm"), whatever the Subject says.
    expect(insufficient.labels.AlarmName).toBe('notificationCountAlarm')
  })

  it('an anomaly-band alarm names its metric in Trigger.Metrics[] and keys on its ARN', () => {
    const message = JSON.parse(JSON.parse(fixture('cloudwatch-sns-alarm-OK-anomaly-band-metrics-array.cloudforet.json')).Message)
    const [event] = events(normaliseCloudWatch(fixture('cloudwatch-sns-alarm-OK-anomaly-band-metrics-array.cloudforet.json')))
    expect(event).toMatchObject({ key: message.AlarmArn, state: 'resolved', labels: { MetricName: 'pod_cpu_utilization', 'dimension.ClusterName': 'cloudone-dev-v1-eks-cluster' } })
  })

  it('subscription and unsubscribe confirmations are control messages, not alerts', () => {
    for (const name of ['sns-subscription-confirmation.aws-docs.json', 'sns-subscription-confirmation.alerta.json']) {
      const body = JSON.parse(fixture(name))
      expect(normaliseCloudWatch(fixture(name))).toEqual({ kind: 'subscribe', subscribeUrl: body.SubscribeURL, topicArn: body.TopicArn, messageId: body.MessageId })
    }
    expect(normaliseCloudWatch(fixture('sns-unsubscribe-confirmation.aws-docs.json'))).toMatchObject({ kind: 'unsubscribed' })
    // A notification whose message is no alarm (the docs' "Hello world!") is refused, naming the field.
    expect(() => normaliseCloudWatch(fixture('sns-notification-envelope.aws-docs.json'))).toThrow(/^Message: not valid JSON/)
  })

  it('names the field that is wrong: the envelope, the Message inside it, a Lambda record instead of the HTTPS body', () => {
    expect(() => normaliseCloudWatch('not json')).toThrow(/^body: not valid JSON/)
    const envelope = JSON.parse(fixture('cloudwatch-sns-alarm-ALARM.alerta.json'))
    expect(() => normaliseCloudWatch(JSON.stringify({ ...envelope, Message: '{"AlarmName": "x", "NewStateValue": "MAYBE"}' }))).toThrow(/^Message\.NewStateValue: must be ALARM, OK or INSUFFICIENT_DATA/)
    expect(() => normaliseCloudWatch(JSON.stringify({ ...envelope, Message: 'plain words' }))).toThrow(/^Message: not valid JSON/)
    expect(() => normaliseCloudWatch(fixture('lambda-sns-record.cloudwatch-alarm-sns-payload-single-metric.aws-lambda-go.json'))).toThrow(AlertPayloadError)
  })
})

describe('PagerDuty Events v2', () => {
  it('trigger, acknowledge and resolve of one dedup key; severity, component and links kept', () => {
    const trigger = JSON.parse(fixture('pagerduty-events-v2-trigger.dev-docs.json'))
    const [fired] = events(normaliseEventsV2(fixture('pagerduty-events-v2-trigger.dev-docs.json'), () => 'generated'))
    expect(fired).toMatchObject({ source: 'pagerduty', key: trigger.dedup_key, state: 'firing', severity: 'info', summary: trigger.payload.summary, labels: { component: 'postgres', group: 'prod-datapipe', class: 'deploy' } })
    expect(fired!.deliveryId).toBe(`${trigger.dedup_key}:trigger`)
    expect(fired!.links.length).toBeGreaterThan(0)
    expect(events(normaliseEventsV2(fixture('pagerduty-events-v2-acknowledge.json'), () => 'x'))[0]!.state).toBe('acknowledged')
    expect(events(normaliseEventsV2(fixture('pagerduty-events-v2-resolve.json'), () => 'x'))[0]!.state).toBe('resolved')
    expect(events(normaliseEventsV2(fixture('pagerduty-events-v2-trigger.openapi-example.json'), () => 'x'))[0]!.state).toBe('firing')
  })

  it('a trigger without a dedup key gets a new one (and no delivery id); ack and resolve need one', () => {
    const trigger = JSON.parse(fixture('pagerduty-events-v2-trigger.dev-docs.json'))
    delete trigger.dedup_key
    const [event] = events(normaliseEventsV2(JSON.stringify(trigger), () => 'made-here'))
    expect(event).toMatchObject({ key: 'made-here' })
    expect(event!.deliveryId).toBeUndefined()
    expect(() => normaliseEventsV2(JSON.stringify({ routing_key: 'r', event_action: 'resolve' }), () => 'x')).toThrow(/^dedup_key: /)
    expect(() => normaliseEventsV2(JSON.stringify({ ...trigger, payload: { ...trigger.payload, severity: 'fatal' } }), () => 'x')).toThrow(/^payload\.severity: must be critical, error, warning or info/)
    expect(() => normaliseEventsV2(JSON.stringify({ routing_key: 'r', event_action: 'trigger' }), () => 'x')).toThrow(/^payload: /)
  })
})

describe('Alertmanager and Grafana', () => {
  it('each alert of a batch is its own, keyed by fingerprint, sharing the batch groupKey', () => {
    const body = JSON.parse(fixture('alertmanager-webhook-v4-firing.json'))
    const list = events(normaliseAlertmanager(fixture('alertmanager-webhook-v4-firing.json')))
    expect(list).toHaveLength(body.alerts.length)
    list.forEach((event, i) => expect(event).toMatchObject({ source: 'alertmanager', key: body.alerts[i].fingerprint, state: body.alerts[i].status, groupKey: body.groupKey }))
    expect(events(normaliseAlertmanager(fixture('alertmanager-webhook-v4-resolved.json'))).every((e) => e.state === 'resolved')).toBe(true)
    expect(events(normaliseAlertmanager(fixture('alertmanager-webhook-v4-firing.v0.34-fields.RECONSTRUCTED.json'))).length).toBeGreaterThan(0)
  })

  it('without a fingerprint (before v0.19) the key is a hash of the sorted labels: the firing and the resolved alert match; status decides, never endsAt', () => {
    const [firing] = events(normaliseAlertmanager(fixture('alertmanager-webhook-v4-firing.pre-v0.19-no-fingerprint.json')))
    const [resolved] = events(normaliseAlertmanager(fixture('alertmanager-webhook-v4-firing.pre-v0.19-no-fingerprint.json'.replace('firing', 'resolved'))))
    expect(firing!.key).toBe(resolved!.key)
    expect(firing!.key).toMatch(/^[0-9a-f]{16}$/)
    // This firing alert carries an endsAt in the future: it is firing all the same.
    expect(firing!.state).toBe('firing')
    expect(resolved!.state).toBe('resolved')
  })

  it('Grafana: version "1", firing and resolved, with dashboard and panel links; severity from the label, else warning', () => {
    const firing = events(normaliseGrafana(fixture('grafana-webhook-firing.grafana-docs.json')))
    expect(firing[0]).toMatchObject({ source: 'grafana', state: 'firing', severity: 'warning', labels: { alertname: 'High memory usage', team: 'blue' } })
    expect(firing[0]!.links.map((l) => l.text)).toEqual(expect.arrayContaining(['Source', 'Runbook']))
    const v11 = events(normaliseGrafana(fixture('grafana-webhook-firing-v11-values.zulip-fixture.json')))
    expect(v11[0]!.links.map((l) => l.text)).toEqual(expect.arrayContaining(['Dashboard', 'Panel']))
    expect(events(normaliseGrafana(fixture('grafana-webhook-resolved.zulip-fixture.json'))).some((e) => e.state === 'resolved')).toBe(true)
  })

  it('names the field that is wrong', () => {
    expect(() => normaliseAlertmanager('{"alerts": []}')).toThrow(/^alerts: a notification carries at least one alert/)
    expect(() => normaliseAlertmanager('{"alerts": [{"status": "pending", "labels": {}}]}')).toThrow(/^alerts\.0\.status: must be firing or resolved/)
  })
})

describe('helpers', () => {
  it('reads every source time format: CloudWatch offsets without a colon, nanoseconds, Go zero time as none', () => {
    expect(sourceTime('2019-02-15T23:53:45.093+0000')).toBe(Date.parse('2019-02-15T23:53:45.093Z'))
    expect(sourceTime('2021-10-12T09:51:03.157076+02:00')).toBe(Date.parse('2021-10-12T07:51:03.157Z'))
    expect(sourceTime('2024-01-01T00:00:00.123456789Z')).toBe(Date.parse('2024-01-01T00:00:00.123Z'))
    expect(sourceTime('0001-01-01T00:00:00Z')).toBeUndefined()
    expect(sourceTime('yesterday')).toBeUndefined()
  })

  it('a label set has one key whatever its order', () => {
    expect(labelsKey({ a: '1', b: '2' })).toBe(labelsKey({ b: '2', a: '1' }))
    expect(labelsKey({ a: '1', b: '2' })).not.toBe(labelsKey({ a: '1', b: '3' }))
  })
})
