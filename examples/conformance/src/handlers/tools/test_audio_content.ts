import { audio } from "@mcpgen/runtime";
import type { TestAudioContentHandler } from "../../generated/contract.js";
import { SILENT_WAV } from "../../lib/media.js";

/** Tests audio content response */
export const handler: TestAudioContentHandler = async () => {
  return audio(SILENT_WAV, "audio/wav");
};
