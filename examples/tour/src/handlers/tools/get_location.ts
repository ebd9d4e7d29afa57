import type { GetLocationHandler } from "../../generated/contract.js";

/** Get location coordinates (demo data). */
export const handler: GetLocationHandler = async ({ address }) => {
  void address;
  return { latitude: 51.5074, longitude: -0.1278, name: "London, UK" };
};
