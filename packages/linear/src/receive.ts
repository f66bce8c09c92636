/**
 * The webhook endpoint's whole job: verify, record in the durable inbox (one row per delivery id,
 * committed with the work item that processes it), answer. Processing happens in the orchestrator.
 */
import type { LinearStore } from '@omakase/domain';
import { LinearIntegrationError } from './errors';
import type { SecretBox } from './secret-box';
import { peekOrganizationId, type VerifiedDelivery, verifyWebhook } from './webhooks';

export const LINEAR_INBOX_WORK = 'linear.inbox';

export interface ReceiveDeps {
  store: LinearStore;
  box: SecretBox;
  /** The OAuth app's signing secret, for connections without their own. */
  appWebhookSecret?: string;
  /** Larger bodies are refused (413) while they are read, before any parsing or HMAC. */
  maxBodyBytes?: number;
}

export const LINEAR_WEBHOOK_MAX_BYTES = 1024 * 1024;

/** The body, or null as soon as it exceeds `maxBytes` (the rest is never read). */
async function readCapped(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

const text = (status: number, body: string) => new Response(body, { status });

export async function receiveLinearWebhook(request: Request, deps: ReceiveDeps): Promise<Response> {
  if (request.method !== 'POST') return text(405, 'method not allowed');
  const maxBytes = deps.maxBodyBytes ?? LINEAR_WEBHOOK_MAX_BYTES;
  const rawBody = await readCapped(request, maxBytes);
  if (!rawBody) return text(413, `body exceeds ${maxBytes} bytes`);
  const linearOrgId = peekOrganizationId(rawBody);
  if (!linearOrgId) return text(400, 'bad payload');
  const connections = await deps.store.connections.findByLinearOrg(linearOrgId);
  const headers = { signature: request.headers.get('linear-signature') };
  let failure: LinearIntegrationError | null = null;
  for (const connection of connections) {
    const secret = connection.webhookSecretSealed
      ? await deps.box.open(connection.webhookSecretSealed, `${connection.orgId}/linear/webhook`)
      : deps.appWebhookSecret;
    if (!secret) continue;
    let delivery: VerifiedDelivery;
    try {
      delivery = verifyWebhook(rawBody, headers, secret);
    } catch (error) {
      if (!(error instanceof LinearIntegrationError)) throw error;
      failure = error;
      continue;
    }
    const fresh = await deps.store.inbox.record(
      {
        deliveryId: delivery.deliveryId,
        orgId: connection.orgId,
        issueId: delivery.subject,
        type: delivery.type,
        action: delivery.action,
        payload: delivery.payload,
      },
      { kind: LINEAR_INBOX_WORK },
    );
    // Connection health: a fresh delivery stamped "last webhook" in its own transaction; a duplicate is stamped here.
    if (!fresh) await deps.store.connections.recordWebhook(connection.orgId, new Date());
    return text(200, fresh ? 'ok' : 'duplicate');
  }
  if (failure?.code === 'bad_payload') return text(400, failure.message);
  return text(401, failure?.message ?? 'unknown Linear organization');
}
