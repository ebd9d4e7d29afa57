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
export class Registry<T extends { enabled?: boolean }> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly views = new Map<string, unknown[]>();
  private enabledCount = 0;

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
      enable: () => this.setEnabled(key, entry, true),
      disable: () => this.setEnabled(key, entry, false),
      remove: () => {
        if (this.entries.get(key) !== entry) return;
        this.entries.delete(key);
        if (entry.enabled) this.enabledCount--;
        this.changed();
      },
    };
  }

  private setEnabled(key: string, entry: Entry<T>, enabled: boolean): void {
    if (this.entries.get(key) !== entry || entry.enabled === enabled) return;
    entry.enabled = enabled;
    this.enabledCount += enabled ? 1 : -1;
    this.changed();
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
