import { ProtectedResource } from "../auth/resource-server.js";
import type { AuthOptions } from "../auth/types.js";
import type { McpServer } from "../server/server.js";
import { DEFAULT_ENDPOINT_PATH, HttpEndpoint, endpointOnError, type HttpEndpointOptions } from "../transports/http/handler.js";

export interface HttpHandlerOptions extends Omit<HttpEndpointOptions, "gate"> {
  /**
   * OAuth protection (protected resource metadata, token and scope checks); defaults to
   * the server's `auth` option unless `authenticate` is given. `false` turns it off.
   */
  auth?: AuthOptions | false;
}

/**
 * Streamable HTTP for one McpServer (see `HttpEndpoint`), protected by the `auth` option
 * or the server's own. Wiring auth here keeps the transport layer free of the auth layer:
 * the endpoint sees only the `HttpGate` it is given.
 */
export class McpHttpHandler extends HttpEndpoint {
  constructor(server: McpServer<any>, options: HttpHandlerOptions = {}) {
    if (options.auth && options.authenticate) throw new Error("HttpHandlerOptions: give either auth or authenticate, not both");
    const { auth: own, ...rest } = options;
    const auth = own ?? (options.authenticate ? undefined : server.options.auth);
    const gate = auth ? new ProtectedResource(server, auth, { path: options.path ?? DEFAULT_ENDPOINT_PATH, trustProxy: options.trustProxy }, endpointOnError(server, options)) : undefined;
    super(server, { ...rest, gate });
  }
}

/** Builds the Streamable HTTP handler for a server. */
export function createHttpHandler(server: McpServer<any>, options: HttpHandlerOptions = {}): McpHttpHandler {
  return new McpHttpHandler(server, options);
}
