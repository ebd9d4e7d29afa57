import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entriesOf, isRecord } from '../guards.js';
import type { CheckContext } from './context.js';

/**
 * The jwt verifier loads `jose` (an optional peer dependency of @mcpgen/runtime) when the
 * server starts: a project that depends on the runtime but not on jose would fail then.
 * Only a package.json next to mcp.yaml that lists @mcpgen/runtime is looked at.
 */
function checkJose(ctx: CheckContext, auth: Record<string, unknown>): void {
  if ((auth.verifier ?? 'jwt') !== 'jwt') return;
  const path = join(ctx.manifestDir, 'package.json');
  if (!existsSync(path)) return;
  let pkg: Record<string, Record<string, string> | undefined>;
  try {
    pkg = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return;
  }
  const listed = (name: string) => ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((k) => isRecord(pkg[k]) && name in pkg[k]!);
  if (!listed('@mcpgen/runtime') || listed('jose')) return;
  ctx.report({
    code: 'auth-needs-jose',
    message: 'the jwt verifier needs the `jose` package, which package.json does not list: the server would refuse every request',
    hint: 'run `npm install jose`',
    at: 'verifier' in auth ? ['auth', 'verifier'] : ['auth'],
    target: 'verifier' in auth ? undefined : 'key',
  });
}

function checkVerifier(ctx: CheckContext, auth: Record<string, unknown>): void {
  const verifier = auth.verifier ?? 'jwt';
  const at = 'verifier' in auth ? ['auth', 'verifier'] : ['auth'];
  const target = 'verifier' in auth ? undefined : ('key' as const);
  if ((verifier === 'jwt' || verifier === 'introspection') && !Array.isArray(auth.authorizationServers)) {
    ctx.report({
      code: 'auth-incomplete',
      message: `the ${String(verifier)} verifier needs \`auth.authorizationServers\`: clients discover where to get tokens from it`,
      hint: 'add `authorizationServers: [https://auth.example.com]`',
      at,
      target,
    });
  }
  if (verifier === 'introspection' && !isRecord(auth.introspection)) {
    ctx.report({
      code: 'auth-incomplete',
      message: 'the introspection verifier needs `auth.introspection.endpoint`',
      hint: 'add `introspection: { endpoint: https://auth.example.com/introspect, clientId: ..., clientSecretEnv: INTROSPECTION_SECRET }`',
      at,
      target,
    });
  }
  if (verifier === 'apiKey' && !(isRecord(auth.apiKey) && typeof auth.apiKey.env === 'string')) {
    ctx.report({
      code: 'auth-incomplete',
      message: 'the apiKey verifier needs `auth.apiKey.env`, the environment variable holding the accepted key',
      hint: 'add `apiKey: { env: MCP_API_KEY }`',
      at,
      target,
    });
  }
}

/** Verifier settings, and per-item scopes that would be ignored because auth is off. */
export function checkAuth(ctx: CheckContext): void {
  if (isRecord(ctx.root.auth)) {
    checkVerifier(ctx, ctx.root.auth);
    checkJose(ctx, ctx.root.auth);
    return;
  }
  for (const section of ['tools', 'resources', 'prompts'] as const) {
    for (const [name, item] of entriesOf(ctx.root[section])) {
      if (!isRecord(item) || !Array.isArray(item.scopes) || item.scopes.length === 0) continue;
      ctx.report({
        code: 'scopes-without-auth',
        message: `scopes of ${section.slice(0, -1)} \`${name}\` have no effect: \`auth\` is not configured`,
        hint: 'add an `auth` section, or remove the scopes',
        at: [section, name, 'scopes'],
        target: 'key',
      });
    }
  }
}
