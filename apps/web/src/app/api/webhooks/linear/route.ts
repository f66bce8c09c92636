/**
 * Linear webhook endpoint: verify the signature and timestamp (`LinearWebhookClient`), record the
 * delivery in the durable inbox with the work item that processes it, answer. The organisation is
 * the one whose connection's secret verifies the delivery; processing happens in the orchestrator.
 */
import type { SecretBox } from '@omakase/linear';
import { LINEAR_WEBHOOK_MAX_BYTES, receiveLinearWebhook } from '@omakase/linear';
import { linearEnv, linearStore, secretBox } from '@/server/linear/config';
import { logger } from '@/server/logger';

export const dynamic = 'force-dynamic';

// Opened only when a connection has its own sealed secret (API-key mode).
const lazyBox: SecretBox = {
  seal: (plaintext, context) => secretBox().seal(plaintext, context),
  open: (sealed, context) => secretBox().open(sealed, context),
};

export async function POST(request: Request): Promise<Response> {
  try {
    const response = await receiveLinearWebhook(request, {
      store: linearStore(),
      box: lazyBox,
      appWebhookSecret: linearEnv().LINEAR_WEBHOOK_SECRET,
      // Read with a byte cap: a huge body is refused before it is buffered, parsed or hashed.
      maxBodyBytes: LINEAR_WEBHOOK_MAX_BYTES,
    });
    if (response.status === 401) logger.warn({ status: 401 }, 'Linear webhook refused');
    return response;
  } catch (error) {
    // Not stored: answering 500 makes Linear deliver again.
    logger.error({ err: error }, 'Linear webhook could not be recorded');
    return new Response('internal error', { status: 500 });
  }
}
