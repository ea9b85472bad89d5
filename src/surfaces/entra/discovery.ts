/** OpenID Connect discovery documents, derived from the origin the caller used. */
export function openIdConfiguration(origin: string, tenantId: string, version: 'v1' | 'v2', issuerTenant = tenantId): Record<string, unknown> {
  const t = `${origin}/${tenantId}`;
  const v2 = version === 'v2';
  const issuerBase = `${origin}/${issuerTenant}`;
  return {
    token_endpoint: v2 ? `${t}/oauth2/v2.0/token` : `${t}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${t}/discovery/v2.0/keys` : `${t}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${issuerBase}/v2.0` : `${issuerBase}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${t}/openid/userinfo`,
    authorization_endpoint: v2 ? `${t}/oauth2/v2.0/authorize` : `${t}/oauth2/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: v2 ? `${t}/oauth2/v2.0/logout` : `${t}/oauth2/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'oid', 'tid', 'ver', 'appid', 'appidacr', 'idtyp', 'xms_mirid'],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'keyless.local',
    grant_types_supported: ['client_credentials'],
  };
}

/** The ADFS-style document MSAL fetches when the tenant is `adfs`: no instance discovery, a token endpoint that works. */
export function adfsConfiguration(origin: string): Record<string, unknown> {
  const base = `${origin}/adfs`;
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth2/authorize/`,
    token_endpoint: `${base}/oauth2/token/`,
    jwks_uri: `${base}/discovery/keys`,
    end_session_endpoint: `${base}/oauth2/logout`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    grant_types_supported: ['client_credentials'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token'],
    scopes_supported: ['openid'],
    subject_types_supported: ['pairwise'],
  };
}
