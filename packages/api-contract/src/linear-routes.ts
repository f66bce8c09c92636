/**
 * Linear integration (OAuth install, callback, disconnect) in the registry (see routes.ts).
 * These live under /api/integrations/linear: the browser is redirected through them, so install
 * and callback answer with 302 to Linear and back to the settings page.
 */
import { z } from 'zod';

export const LinearCallbackQuery = z.object({
  code: z.string().min(1).max(512),
  state: z.string().min(1).max(2048),
});
export type LinearCallbackQuery = z.infer<typeof LinearCallbackQuery>;

export const linearRoutes = {
  installLinear: {
    method: 'GET',
    path: '/api/integrations/linear/install',
    operationId: 'installLinear',
    summary:
      "Start the Linear OAuth install (actor=app): redirects to Linear with a state bound to the caller's organisation",
    tag: 'integrations',
    action: 'integration:manage',
    status: 302,
  },
  linearCallback: {
    method: 'GET',
    path: '/api/integrations/linear/callback',
    operationId: 'linearCallback',
    summary:
      'Linear OAuth callback: checks the state, exchanges the code, stores sealed tokens, redirects to settings',
    tag: 'integrations',
    action: 'integration:manage',
    query: LinearCallbackQuery,
    status: 302,
  },
  disconnectLinear: {
    method: 'POST',
    path: '/api/integrations/linear/disconnect',
    operationId: 'disconnectLinear',
    summary: "Revoke the organisation's Linear token and delete the connection",
    tag: 'integrations',
    action: 'integration:manage',
    status: 204,
  },
} as const;
