import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { messagesRequestSchema } from './request';
import { scriptedTurn } from './scripts/index';
import { estimateTokens, messageBody, sseEvents, type Usage } from './turn';

export interface ModelServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Default: pino at `info` (the CLI, main.ts, takes LOG_LEVEL). */
  logger?: Logger;
}

export interface ModelServer {
  /** Base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Messages requests answered so far (for tests and demo metrics). */
  requestCount(): number;
  /** Whether a Messages request carried this API key (kept as hashes only; for tests). */
  sawApiKey(key: string): boolean;
  /** The `model` of every Messages request so far, in order (for tests: the per-role model arrives). */
  modelsSeen(): string[];
  stop(): Promise<void>;
}

/** Starts the scripted Anthropic-compatible Messages API on loopback. */
export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const logger = options.logger ?? pino({ name: 'model-server', level: 'info' });
  let answered = 0;
  const keyHashes = new Set<string>();
  const models: string[] = [];
  const hash = (key: string) => createHash('sha256').update(key).digest('hex');
  const server: Server = createServer((req, res) => {
    const key = req.headers['x-api-key'];
    if (typeof key === 'string') keyHashes.add(hash(key));
    handle(req, res, logger, (model) => models.push(model))
      .then((counted) => {
        if (counted) answered += 1;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'model server request failed');
        if (!res.headersSent) sendJson(res, 500, apiError('api_error', 'scripted model failed'));
        else res.destroy();
      });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    requestCount: () => answered,
    sawApiKey: (key) => keyHashes.has(hash(key)),
    modelsSeen: () => [...models],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  onModel: (model: string) => void,
): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/v1/models') {
    sendJson(res, 200, {
      data: [MODEL_INFO],
      has_more: false,
      first_id: MODEL_INFO.id,
      last_id: MODEL_INFO.id,
    });
    return false;
  }
  if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
    sendJson(res, 200, { input_tokens: estimateTokens(await readBody(req)) });
    return false;
  }
  if (req.method === 'POST' && path === '/v1/messages') {
    await answerMessages(req, res, logger, onModel);
    return true;
  }
  logger.warn({ method: req.method, path }, 'unknown route');
  sendJson(res, 404, apiError('not_found_error', `No route for ${req.method} ${path}`));
  return false;
}

async function answerMessages(
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  onModel: (model: string) => void,
): Promise<void> {
  const raw = await readBody(req);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return sendJson(res, 400, apiError('invalid_request_error', 'Body is not JSON'));
  }
  const parsed = messagesRequestSchema.safeParse(json);
  if (!parsed.success) return sendJson(res, 400, apiError('invalid_request_error', parsed.error.message));
  const request = parsed.data;
  onModel(request.model);
  const turn = scriptedTurn(request);
  logger.debug(
    { tools: request.tools?.map((tool) => tool.name), turns: request.messages.length, reply: turn.blocks },
    'messages request',
  );
  const usage: Usage = {
    input_tokens: estimateTokens(raw),
    output_tokens: estimateTokens(turn.blocks),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  if (request.stream !== true) return sendJson(res, 200, messageBody(turn, request.model, usage));

  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  for (const { event, data } of sseEvents(turn, request.model, usage)) {
    if (res.destroyed) return; // the client aborted (e.g. the run was stopped)
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (turn.pauseMs && event === 'content_block_delta') await pause(turn.pauseMs, res);
  }
  res.end();
}

const MODEL_INFO = {
  type: 'model',
  id: 'claude-sonnet-4-5',
  display_name: 'Omakase scripted model',
  created_at: '2025-01-01T00:00:00Z',
};

const apiError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits `ms`, returning early once the response is closed so aborted streams free their timers. */
function pause(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}
