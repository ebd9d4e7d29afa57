/**
 * Plain-object helpers that keep every key as data. `obj[key] = value` with the key
 * `__proto__` sets the object's prototype instead of adding a key, so a schema property or a
 * `$defs` entry named `__proto__` (legal JSON, and kept by the YAML parser) would vanish.
 * Code that copies manifest objects key by key uses these instead.
 */

/** Adds (or replaces) an own, enumerable property, whatever its name. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object from entries, every key kept as an own property. */
export function fromEntriesOwn<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of entries) setOwn(out, k, v);
  return out;
}

/** Own-property lookup: `has(o, "constructor")` is false for a plain `{}`. */
export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}
