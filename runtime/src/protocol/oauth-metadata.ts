/**
 * Where an OAuth authorization server publishes its metadata, in the order of the MCP
 * specification: with an issuer path `/p`, `/.well-known/oauth-authorization-server/p`,
 * `/.well-known/openid-configuration/p`, then `/p/.well-known/openid-configuration`
 * (Keycloak realms, Entra ID tenants); without one, the first two. The resource server
 * (finding an issuer's JWKS) and the client (discovery) both use it.
 */
export function authorizationServerMetadataUrls(issuer: string): URL[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, "");
  const urls = [new URL(`/.well-known/oauth-authorization-server${path}`, u.origin), new URL(`/.well-known/openid-configuration${path}`, u.origin)];
  if (path) urls.push(new URL(`${path}/.well-known/openid-configuration`, u.origin));
  return urls;
}
