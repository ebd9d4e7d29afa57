import type { GetWeatherHandler } from "../../generated/contract.js";

/** Get weather for a city: the object is checked against WeatherData and sent as structuredContent. */
export const handler: GetWeatherHandler = async ({ city }) => {
  void city; // demo data: the same weather everywhere
  return { temperature: 22.5, humidity: 45.0, condition: "sunny", wind_speed: 5.2 };
};
