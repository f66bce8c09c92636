export { type LocalIssuer, type LocalIssuerOptions, startLocalIssuer, WEB_CLIENT } from './issuer';
