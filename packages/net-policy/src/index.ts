/** Network and repository destination policy shared by the web (on save) and the orchestrator (on clone). */
export { isPublicAddress } from './address';
export {
  type AllowedRepository,
  assertRepositoryUrlAllowed,
  type LocalRepositories,
  type RepositoryPolicy,
  RepositoryUrlRefused,
  type Resolver,
  systemResolver,
} from './repository-policy';
export {
  type ParsedRepositoryUrl,
  type ParseOptions,
  parseRepositoryUrl,
  type RepositoryUrlKind,
  type RepositoryUrlRefusal,
} from './repository-url';
