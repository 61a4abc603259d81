export { scimApiCredentialTest } from './credentialTest';
