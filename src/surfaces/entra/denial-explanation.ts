import type { DenialExplanation } from '../../audit/index.js';
import type { ClientAuthenticationError } from '../../directory/index.js';

/*
 * Why a client failed to authenticate at the token endpoint, and the command
 * that would fix it when Keyless has one, for the audit record only (the
 * client gets Entra's AADSTS body). Never names a secret: only the failure,
 * the client id and what the directory error already carries (a thumbprint,
 * an issuer, a subject, an audience).
 */
export function explainClientFailure(error: ClientAuthenticationError): DenialExplanation {
  const app = `application ${error.clientId}`;
  const detail = (name: string): string => String(error.details?.[name] ?? '');
  const newSecret = `keyless ad sp credential reset --id ${error.clientId} --append`;
  switch (error.failure) {
    case 'UnknownClient':
      return { explanation: `no application has client id ${error.clientId} (deleted, or never created: keyless ad sp list shows those that exist)`, fix: undefined };
    case 'NoCredential':
      return { explanation: `the request for ${app} carried no client secret and no client assertion`, fix: undefined };
    case 'InvalidSecret':
      return { explanation: `the client secret is none of ${app}'s current secrets: mistyped, deleted, or replaced by a credential reset without --append`, fix: newSecret };
    case 'ExpiredSecret':
      return { explanation: `the client secret of ${app} has expired`, fix: newSecret };
    case 'CertificateNotRegistered':
      return { explanation: `no unexpired certificate of ${app} has the thumbprint ${detail('thumbprint')} that the assertion names`, fix: `keyless ad sp credential reset --id ${error.clientId} --create-cert --append` };
    case 'InvalidAssertionSignature':
      return { explanation: `the assertion names ${app}'s certificate ${detail('thumbprint')} but was signed with another key`, fix: undefined };
    case 'AssertionOutOfTime':
      return { explanation: `the client assertion of ${app} is outside its nbf..exp, or lives longer than 10 minutes`, fix: undefined };
    case 'AssertionAudience':
      return { explanation: `the client assertion's aud ${detail('audience')} is not one of Keyless's token endpoints`, fix: undefined };
    case 'AssertionIssuer':
      return { explanation: `the client assertion's iss and sub must both be ${app}'s client id`, fix: undefined };
    case 'MalformedAssertion':
      return { explanation: `the client assertion of ${app} is not a usable JWT${error.details?.['reason'] ? ` (${detail('reason')})` : ''}`, fix: undefined };
    case 'FederatedIssuerNotFound':
      return { explanation: `no federated credential of ${app} trusts the issuer ${detail('issuer')} (keyless ad app federated-credential create, or identity federated-credential create for an identity, adds one)`, fix: undefined };
    case 'FederatedSubjectNotFound':
      return { explanation: `no federated credential of ${app} for that issuer matches the subject ${detail('subject')} (subjects are compared exactly)`, fix: undefined };
    case 'FederatedAudienceNotFound':
      return { explanation: `the federated credential of ${app} matching issuer and subject does not accept the audience ${detail('audience')}`, fix: undefined };
    case 'FederatedSignature':
      return { explanation: `the external token for ${app} could not be verified with its issuer's keys (${detail('reason')})`, fix: undefined };
  }
}
