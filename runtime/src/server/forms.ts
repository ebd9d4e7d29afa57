import type { JsonSchema } from "../protocol/types.js";
import type { Context } from "./context.js";
import type { ValidateFn } from "./validation.js";

export interface FormSpec {
  message: string;
  schema: JsonSchema;
  validate?: ValidateFn;
  /** Its key in a 2026-07-28 `inputRequests` (the manifest's name; default: the property name). */
  key?: string;
}

/**
 * Adds the manifest's named elicitation questions to a context as `ctx.elicit.<name>()`,
 * each asking with its schema and checking the answer with its precompiled validator.
 */
export function attachForms<C extends Context<any>>(ctx: C, forms: Record<string, FormSpec>): C & { elicit: Record<string, (message?: string) => Promise<any>> } {
  const elicit: Record<string, (message?: string) => Promise<unknown>> = {};
  for (const [name, form] of Object.entries(forms)) {
    elicit[name] = (message?: string) =>
      ctx.elicitForm(message ?? form.message, form.schema, form.validate ? { validate: form.validate, key: form.key ?? name } : { key: form.key ?? name });
  }
  return Object.assign(ctx, { elicit });
}
