import { readFileSync } from "node:fs";

/** A 1x1 red PNG: the same file the `static-binary` resource serves. */
export const RED_PIXEL_PNG = readFileSync(new URL("../../assets/red-pixel.png", import.meta.url));

/** A complete WAV file (mono, 8 kHz, 16-bit) holding one silent sample. */
export const SILENT_WAV = readFileSync(new URL("../../assets/silence.wav", import.meta.url));
