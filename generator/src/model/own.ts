/**
 * Setting keys that stay data. `obj[key] = value` with the key
 * `__proto__` sets the object's prototype instead of adding a key, so a schema property or a
 * `$defs` entry named `__proto__` (legal JSON, and kept by the YAML parser) would vanish.
 * Code that copies manifest objects key by key uses this instead (and `Object.hasOwn` to look
 * keys up, so `constructor` is not found on a plain `{}`).
 */

/** Adds (or replaces) an own, enumerable property, whatever its name. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
