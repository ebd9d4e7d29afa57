import type { TestTriggerPromptChangeHandler } from "../../generated/contract.js";

/** Switches test_toggled_prompt on or off, so the prompt list changes (list_changed) */
export const handler: TestTriggerPromptChangeHandler = async (_input, ctx) => {
  const toggled = ctx.app.items.prompts.test_toggled_prompt;
  if (toggled.enabled) toggled.disable();
  else toggled.enable();
  return `test_toggled_prompt is now ${toggled.enabled ? "enabled" : "disabled"}`;
};
