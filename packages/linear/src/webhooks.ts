/**
 * Verifies Linear webhook deliveries with the SDK's `LinearWebhookClient` and extracts what we
 * route on. Only the signed body is believed: the timestamp is the payload's `webhookTimestamp`
 * and the delivery id (the inbox's idempotency key) is the SHA-256 of the verified raw body, so
 * neither a replay under a new `Linear-Delivery` header nor a pre-claimed header id works.
 */
import { createHash } from 'node:crypto';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { z } from 'zod';
import { LinearIntegrationError } from './errors';

export interface VerifiedDelivery {
  deliveryId: string;
  type: string;
  action: string;
  organizationId: string;
  /** The issue the delivery concerns (ordering key), or `label/<id>` for label events. */
  subject: string;
  actorId: string | null;
  payload: Record<string, unknown>;
}

const envelope = z.looseObject({
  type: z.string(),
  action: z.string(),
  organizationId: z.string(),
  webhookTimestamp: z.number().optional(),
  actor: z.looseObject({ id: z.string().optional() }).nullish(),
  data: z.looseObject({ id: z.string().optional(), issueId: z.string().nullish() }).optional(),
  agentSession: z
    .looseObject({
      id: z.string(),
      issueId: z.string().nullish(),
      issue: z.looseObject({ id: z.string() }).nullish(),
    })
    .optional(),
});

/** The idempotency key of a delivery: derived from its signed body, never from a header. */
export function linearDeliveryId(rawBody: Buffer): string {
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/** Reads the organisation id before verification, to pick the connection whose secret applies. */
export function peekOrganizationId(rawBody: Buffer): string | null {
  try {
    const parsed = JSON.parse(rawBody.toString('utf8')) as { organizationId?: unknown };
    return typeof parsed.organizationId === 'string' ? parsed.organizationId : null;
  } catch {
    return null;
  }
}

export function verifyWebhook(
  rawBody: Buffer,
  headers: { signature: string | null },
  secret: string,
): VerifiedDelivery {
  if (!headers.signature) throw new LinearIntegrationError('invalid_signature', 'missing linear-signature');
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new LinearIntegrationError('bad_payload', 'body is not JSON');
  }
  const parsed = envelope.safeParse(body);
  if (!parsed.success) throw new LinearIntegrationError('bad_payload', 'not a Linear webhook payload');
  // The Linear-Timestamp header is not signed: a replayed body with a fresh header would pass.
  const timestamp = parsed.data.webhookTimestamp;
  if (timestamp === undefined)
    throw new LinearIntegrationError('stale_webhook', 'missing webhookTimestamp in the signed payload');
  try {
    new LinearWebhookClient(secret).verify(rawBody, headers.signature, timestamp);
  } catch (error) {
    const stale = /timestamp/i.test((error as Error).message);
    throw new LinearIntegrationError(
      stale ? 'stale_webhook' : 'invalid_signature',
      stale ? 'webhook timestamp outside the 60 s window' : 'webhook signature does not match',
    );
  }
  const { type, action, organizationId, data, agentSession, actor } = parsed.data;
  const subject =
    type === 'Issue'
      ? data?.id
      : type === 'AgentSessionEvent'
        ? (agentSession?.issueId ?? agentSession?.issue?.id)
        : type === 'IssueLabel'
          ? `label/${data?.id}`
          : (data?.issueId ?? undefined);
  if (!subject) throw new LinearIntegrationError('bad_payload', `cannot route a ${type} delivery`);
  return {
    deliveryId: linearDeliveryId(rawBody),
    type,
    action,
    organizationId,
    subject,
    actorId: actor?.id ?? null,
    payload: parsed.data as Record<string, unknown>,
  };
}
