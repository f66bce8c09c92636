export { addBlocks, createIssue, delegateToApp, promptSession, removeIssue, updateIssue } from './actions';
export { fakeResolvers } from './resolvers';
export { buildFakeSchema, SCHEMA_PATH } from './schema';
export { type DeliveryOptions, FakeLinear, type Fault, type WebhookTarget } from './server';
export { type FakeIssue, FakeWorkspace } from './state';
