/** Handle returned by every registration, for run-time changes. */
export interface Registered {
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
  /** Removes the item; clients are told the list changed. */
  remove(): void;
}

interface Entry<T> {
  def: T;
  enabled: boolean;
}

/**
 * An ordered set of named items that can be enabled, disabled and removed at run
 * time. Wire-format list views are cached per protocol version and dropped on any
 * change, so listing costs nothing on the hot path.
 */
export type ItemState = "enabled" | "disabled" | "removed";

export class Registry<T extends { enabled?: boolean }> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly views = new Map<string, unknown[]>();
  private enabledCount = 0;
  /**
   * Hears of an item enabled, disabled or removed through its handle (not through `apply`),
   * before clients are told the list changed: several nodes serving one server mirror it.
   */
  onItemChange?: (key: string, state: ItemState) => void;

  constructor(private readonly onChange: () => void) {}

  get size(): number {
    return this.entries.size;
  }

  get enabledSize(): number {
    return this.enabledCount;
  }

  add(key: string, def: T, kind: string): Registered {
    if (this.entries.has(key)) throw new Error(`${kind} ${JSON.stringify(key)} is already registered`);
    const entry: Entry<T> = { def, enabled: def.enabled !== false };
    this.entries.set(key, entry);
    if (entry.enabled) this.enabledCount++;
    this.changed();
    const self = this;
    return {
      get enabled() {
        return entry.enabled && self.entries.get(key) === entry;
      },
      enable: () => this.setEnabled(key, entry, true, true),
      disable: () => this.setEnabled(key, entry, false, true),
      remove: () => this.remove(key, entry, true),
    };
  }

  private setEnabled(key: string, entry: Entry<T>, enabled: boolean, local: boolean): void {
    if (this.entries.get(key) !== entry || entry.enabled === enabled) return;
    entry.enabled = enabled;
    this.enabledCount += enabled ? 1 : -1;
    this.settle(key, enabled ? "enabled" : "disabled", local);
  }

  private remove(key: string, entry: Entry<T>, local: boolean): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    if (entry.enabled) this.enabledCount--;
    this.settle(key, "removed", local);
  }

  /** A local change is mirrored and announced; one mirrored from another node only drops the cached views (that node told the clients). */
  private settle(key: string, state: ItemState, local: boolean): void {
    if (!local) {
      this.views.clear();
      return;
    }
    this.onItemChange?.(key, state);
    this.changed();
  }

  /** Applies a change another node made to the same item (see `onItemChange`). */
  apply(key: string, state: ItemState): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (state === "removed") this.remove(key, entry, false);
    else this.setEnabled(key, entry, state === "enabled", false);
  }

  private changed(): void {
    this.views.clear();
    this.onChange();
  }

  /** The enabled definition for a key, or undefined. */
  get(key: string): T | undefined {
    const e = this.entries.get(key);
    return e && e.enabled ? e.def : undefined;
  }

  /** Any definition for a key, enabled or not. */
  peek(key: string): T | undefined {
    return this.entries.get(key)?.def;
  }

  *enabledDefs(): IterableIterator<T> {
    for (const e of this.entries.values()) if (e.enabled) yield e.def;
  }

  /** Every definition, enabled or not (what the server declares it may offer). */
  *allDefs(): IterableIterator<T> {
    for (const e of this.entries.values()) yield e.def;
  }

  /** A cached projection of the enabled items, one per `viewKey` (the protocol version). */
  view<V>(viewKey: string, project: (def: T) => V): V[] {
    let v = this.views.get(viewKey) as V[] | undefined;
    if (!v) {
      v = [];
      for (const e of this.entries.values()) if (e.enabled) v.push(project(e.def));
      this.views.set(viewKey, v);
    }
    return v;
  }

  /** The cached view without the items `keep` refuses (per caller: nothing new is cached). */
  viewWhere<V>(viewKey: string, project: (def: T) => V, keep: (def: T) => boolean): V[] {
    const all = this.view(viewKey, project);
    const out: V[] = [];
    let i = 0;
    for (const e of this.entries.values()) {
      if (!e.enabled) continue;
      if (keep(e.def)) out.push(all[i]!);
      i++;
    }
    return out.length === all.length ? all : out;
  }
}
