/**
 * Browser calls to the API with the session cookie, through the client typed from the route
 * registry (@omakase/api-contract): no path is written here. Failures are ApiClientError with
 * the API's code, message and field.
 */
import { ApiClientError, createApiClient, routeUrl } from '@omakase/api-contract';

export { ApiClientError, routeUrl };

/** Same origin: relative URLs, the session cookie. */
export const api = createApiClient({ credentials: 'same-origin' });

export const commands = {
  feature: (featureId: string, command: 'start' | 'stop' | 'retry') =>
    api.call(`${command}Feature`, { params: { featureId } }),
  answer: (featureId: string, answer: string) =>
    api.call('answerFeature', { params: { featureId }, body: { answer } }),
  project: (projectId: string, command: 'start' | 'pause' | 'stop') =>
    api.call(`${command}Project`, { params: { projectId } }),
  board: (projectId: string) => api.call('getProjectBoard', { params: { projectId } }),
};
