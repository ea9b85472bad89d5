/**
 * What every management-SDK scenario starts from (test/fixtures/server.ts
 * `runAdminScenario` sets the environment): the loopback guard, loaded first,
 * and the CLI's admin application signed in against Keyless's authority.
 */
import { nonLoopback } from './loopback-guard.js';
import { ClientSecretCredential } from '@azure/identity';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

export { nonLoopback };
export const endpoint = env('KEYLESS_URL');
export const subscription = env('KEYLESS_SUBSCRIPTION_ID');
export const credential = new ClientSecretCredential(env('AZURE_TENANT_ID'), env('AZURE_CLIENT_ID'), env('AZURE_CLIENT_SECRET'), {
  authorityHost: endpoint,
  disableInstanceDiscovery: true,
});
