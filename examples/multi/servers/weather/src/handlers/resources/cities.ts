import type { CitiesRead } from "../../generated/contract.js";
import { CLIMATE } from "../../lib/climate.js";

/** The cities this server knows, one per line. */
export const read: CitiesRead = async () => Object.keys(CLIMATE).join("\n");
