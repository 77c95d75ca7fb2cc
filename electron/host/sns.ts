// Amazon SNS on the host: checking a message's signature with the certificate
// SNS names (fetched only from an SNS host, over https, and cached), and
// confirming a subscription only at an SNS address. Anything else is refused,
// or left for the IC to confirm by hand.
import { createVerify } from 'node:crypto'

/** `https://sns.<region>.amazonaws.com/…` (or `.com.cn`): the only place the host fetches from for SNS. */
export const isSnsUrl = (value: string, pathEnding = ''): boolean => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  return url.protocol === 'https:' && url.port === '' && /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname) && url.pathname.endsWith(pathEnding)
}

/** The fields SNS signs, in its order: `Name\nValue\n` each (Subject only when present). */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
}

export const stringToSign = (message: Record<string, unknown>): string | undefined => {
  const fields = SIGNED_FIELDS[String(message.Type)]
  if (!fields) return undefined
  let text = ''
  for (const field of fields) {
    const value = message[field]
    if (value === undefined && field === 'Subject') continue
    if (typeof value !== 'string') return undefined
    text += `${field}\n${value}\n`
  }
  return text
}

export type CertificateFetch = (url: string) => Promise<string>

const fetchCertificate: CertificateFetch = async (url) => {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) })
  if (!response.ok) throw new Error(`the SNS certificate answered ${response.status}`)
  return response.text()
}

export type SnsCheck = { ok: true } | { ok: false; problem: string }

export class SnsVerifier {
  /** By URL: a certificate is fetched once (SNS rotates them rarely, under new URLs). */
  private readonly certificates = new Map<string, Promise<string>>()

  constructor(private readonly fetchPem: CertificateFetch = fetchCertificate) {}

  /** Whether an SNS message (its parsed JSON) carries a valid signature (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA). */
  async check(message: Record<string, unknown>): Promise<SnsCheck> {
    const version = message.SignatureVersion
    if (version !== '1' && version !== '2') return { ok: false, problem: 'SignatureVersion must be "1" or "2"' }
    const certUrl = message.SigningCertURL
    if (typeof certUrl !== 'string' || !isSnsUrl(certUrl, '.pem')) return { ok: false, problem: 'SigningCertURL must be an https address on an SNS host, ending in .pem' }
    const signed = stringToSign(message)
    if (signed === undefined) return { ok: false, problem: 'the message lacks a field SNS signs' }
    if (typeof message.Signature !== 'string') return { ok: false, problem: 'Signature is missing' }
    let pem = this.certificates.get(certUrl)
    if (!pem) {
      pem = this.fetchPem(certUrl)
      this.certificates.set(certUrl, pem)
      // A failed fetch is tried again next time.
      pem.catch(() => this.certificates.delete(certUrl))
    }
    let certificate: string
    try {
      certificate = await pem
    } catch (error) {
      return { ok: false, problem: `the signing certificate could not be fetched (${(error as Error).message})` }
    }
    try {
      const verifier = createVerify(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
      verifier.update(signed, 'utf8')
      return verifier.verify(certificate, message.Signature, 'base64') ? { ok: true } : { ok: false, problem: 'the signature does not match the message' }
    } catch {
      return { ok: false, problem: 'the signing certificate cannot be read' }
    }
  }
}
