import type { TestToggledToolHandler } from "../../generated/contract.js";

/** A tool that test_trigger_tool_change switches on and off */
export const handler: TestToggledToolHandler = async () => "The toggled tool is enabled right now.";
