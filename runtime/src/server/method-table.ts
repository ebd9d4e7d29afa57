/**
 * A lookup table keyed by method name, without a prototype: the name comes from the
 * client, and `constructor`, `toString` or `__proto__` must find nothing in it (on a
 * plain object they find Object.prototype's members).
 */
export function methodTable<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
