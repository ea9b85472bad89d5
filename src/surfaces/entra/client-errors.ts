import { ClientAuthenticationError } from '../../directory/index.js';
import { entraErrors, type EntraError } from './errors.js';

/** A client authentication failure in Entra's words (status, error, AADSTS code). */
export function clientAuthenticationToEntra(error: ClientAuthenticationError, tenant: string): EntraError {
  const d = error.details ?? {};
  const text = (name: string): string => String(d[name] ?? '');
  switch (error.failure) {
    case 'UnknownClient':
      return entraErrors.unknownClient(error.clientId, tenant);
    case 'NoCredential':
      return entraErrors.noCredential();
    case 'InvalidSecret':
      return entraErrors.invalidSecret(error.clientId);
    case 'ExpiredSecret':
      return entraErrors.expiredSecret(error.clientId);
    case 'MalformedAssertion':
      return entraErrors.malformedAssertion();
    case 'CertificateNotRegistered':
      return entraErrors.certificateNotRegistered(text('thumbprint'), error.clientId);
    case 'InvalidAssertionSignature':
      return entraErrors.invalidAssertionSignature(text('thumbprint'));
    case 'AssertionOutOfTime':
      return entraErrors.assertionOutOfTime(Number(d['now']), Number(d['nbf']), Number(d['exp']));
    case 'AssertionAudience':
      return entraErrors.assertionAudience();
    case 'AssertionIssuer':
      return entraErrors.assertionIssuer();
    case 'FederatedIssuerNotFound':
      return entraErrors.federatedNoMatch(700211, 'issuer', text('issuer'));
    case 'FederatedAudienceNotFound':
      return entraErrors.federatedNoMatch(700212, 'audience', text('audience'));
    case 'FederatedSubjectNotFound':
      return entraErrors.federatedNoMatch(700213, 'subject', text('subject'));
    case 'FederatedSignature':
      return d['fetch'] === true ? entraErrors.externalIssuerFailed() : entraErrors.federatedSignature();
  }
}

export { ClientAuthenticationError };
