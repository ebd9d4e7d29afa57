import type { Model } from "../model/build.js";
import { toTypeName } from "../naming/names.js";
import { jsdocText, tsString as lit } from "./escape.js";

const doc = (text: unknown) => (typeof text === "string" && text ? [`  /** ${jsdocText(text)} */`] : []);

/**
 * A typed client for this server: one method per tool, resource, template and prompt,
 * taking and returning the generated types. Useful for tests and for other services.
 */
export function emitClient(model: Model): string {
  const className = `${toTypeName(model.server.name)}Client`;
  const L: string[] = [];
  const needsTemplate = model.templates.length > 0;
  const hasTasks = model.tools.some((t) => t.task !== undefined);
  L.push(
    `import { McpClient, ${needsTemplate ? "UriTemplate, " : ""}checkToolResult, structuredOf, type CallOptions, type CallToolResult, type ClientOptions, type GetPromptResult, type Implementation, type ReadResourceResult, ${hasTasks ? "type ToolTask, " : ""}type Transport } from "@mcpgen/runtime";`,
  );
  L.push(`import type * as T from "./types.js";`);
  L.push("");
  for (const t of model.templates) L.push(`const ${t.ident}Template = new UriTemplate(${lit(t.uriTemplate)});`);
  if (needsTemplate) L.push("");
  L.push(`/** ${jsdocText(`Typed client for the '${model.server.name}' MCP server.`)} */`);
  L.push(`export class ${className} {`);
  L.push("  constructor(readonly mcp: McpClient) {}");
  L.push("");
  L.push("  /** Connects over a transport and initializes the session. */");
  L.push(`  static async connect(transport: Transport, info: Implementation = { name: ${lit(`${model.server.name}-client`)}, version: "1.0.0" }, options?: ClientOptions): Promise<${className}> {`);
  L.push("    const mcp = new McpClient(info, options);");
  L.push("    await mcp.connect(transport);");
  L.push(`    return new ${className}(mcp);`);
  L.push("  }");
  L.push("");
  L.push("  close(): Promise<void> {");
  L.push("    return this.mcp.close();");
  L.push("  }");
  for (const t of model.tools) {
    L.push("");
    L.push(...doc(t.meta.description));
    const m = t.clientMethod;
    const input = t.argumentsType ?? t.inputType;
    if (t.outputTypeSchema !== undefined) {
      L.push(`  async ${m}(input: T.${input}, options?: CallOptions): Promise<T.${t.outputType}> {`);
      L.push(`    return structuredOf<T.${t.outputType}>(${lit(t.name)}, await this.mcp.callTool(${lit(t.name)}, input, options), ${t.wrapOutput});`);
    } else {
      L.push(`  async ${m}(input: T.${input}, options?: CallOptions): Promise<CallToolResult> {`);
      L.push(`    return checkToolResult(${lit(t.name)}, await this.mcp.callTool(${lit(t.name)}, input, options));`);
    }
    L.push("  }");
    if (t.task !== undefined) {
      // The tasks extension: the handle (poll, result(), update(), cancel()), or the result when answered at once.
      L.push("");
      L.push(...doc(`Starts '${t.name}' and returns its task (2026-07-28 tasks extension), or its result when the server answered at once.`));
      L.push(`  ${m}AsTask(input: T.${input}, options?: CallOptions): Promise<ToolTask | CallToolResult> {`);
      L.push(`    return this.mcp.callToolAsTask(${lit(t.name)}, input, options);`);
      L.push("  }");
    }
  }
  for (const r of model.resources) {
    L.push("");
    L.push(...doc(`Reads ${r.uri}.`));
    L.push(`  ${r.clientMethod}(options?: CallOptions): Promise<ReadResourceResult> {`);
    L.push(`    return this.mcp.readResource(${lit(r.uri)}, options);`);
    L.push("  }");
  }
  for (const t of model.templates) {
    L.push("");
    L.push(...doc(`Reads ${t.uriTemplate}.`));
    L.push(`  ${t.clientMethod}(params: T.${t.paramsType}, options?: CallOptions): Promise<ReadResourceResult> {`);
    L.push(`    return this.mcp.readResource(${t.ident}Template.expand(params as unknown as Record<string, string>), options);`);
    L.push("  }");
  }
  for (const p of model.prompts) {
    L.push("");
    L.push(...doc(p.meta.description ?? `Gets the '${p.name}' prompt.`));
    const optional = p.arguments.every((a) => !a.required);
    // `args?` rather than `= {}`: TypeScript does not accept `{}` for an argument named `constructor`.
    L.push(`  ${p.clientMethod}(args${optional ? "?" : ""}: T.${p.argsType}, options?: CallOptions): Promise<GetPromptResult> {`);
    L.push(`    return this.mcp.getPrompt(${lit(p.name)}, ${optional ? "(args ?? {})" : "args"} as unknown as Record<string, string>, options);`);
    L.push("  }");
  }
  L.push("}");
  return L.join("\n") + "\n";
}
