import type { TestTriggerToolChangeHandler } from "../../generated/contract.js";

/** Switches test_toggled_tool on or off, so the tool list changes (list_changed) */
export const handler: TestTriggerToolChangeHandler = async (_input, ctx) => {
  const toggled = ctx.app.items.tools.test_toggled_tool;
  if (toggled.enabled) toggled.disable();
  else toggled.enable();
  return `test_toggled_tool is now ${toggled.enabled ? "enabled" : "disabled"}`;
};
