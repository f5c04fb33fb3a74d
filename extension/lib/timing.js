// Debounce per key and a small expiring cache. Clocks and timers are injected so the tests
// control time instead of sleeping.

const realTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};

/**
 * Calls `fn(key, value)` once `delayMs` after the last `schedule(key, value)` for that key.
 * A tab that redirects three times in a second is checked once, for the page it settles on.
 */
export class KeyedDebouncer {
  constructor(fn, delayMs, timers = realTimers) {
    this.fn = fn;
    this.delayMs = delayMs;
    this.timers = timers;
    this.pending = new Map();
  }

  schedule(key, value) {
    this.cancel(key);
    const handle = this.timers.setTimeout(() => {
      this.pending.delete(key);
      this.fn(key, value);
    }, this.delayMs);
    this.pending.set(key, handle);
  }

  cancel(key) {
    const handle = this.pending.get(key);
    if (handle !== undefined) {
      this.timers.clearTimeout(handle);
      this.pending.delete(key);
    }
  }

  isPending(key) {
    return this.pending.has(key);
  }
}

/**
 * Least-recently-used map whose entries expire `ttlMs` after they were stored.
 * Entries are plain data so the whole cache can be saved to storage.session and restored
 * when the service worker starts again.
 */
export class ExpiringCache {
  constructor({ ttlMs, maxEntries = 200, now = () => Date.now() } = {}) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
    this.now = now;
    this.entries = new Map(); // key -> { value, expiresAt }, oldest first
  }

  get(key) {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert so the map's order stays least-recently-used first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key, value, ttlMs = this.ttlMs) {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value);
    }
  }

  delete(key) {
    this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
  }

  toJSON() {
    const now = this.now();
    return [...this.entries].filter(([, entry]) => entry.expiresAt > now);
  }

  load(saved) {
    this.entries.clear();
    if (!Array.isArray(saved)) return;
    const now = this.now();
    for (const item of saved) {
      if (!Array.isArray(item) || item.length !== 2) continue;
      const [key, entry] = item;
      if (typeof key === "string" && entry && typeof entry.expiresAt === "number" && entry.expiresAt > now) {
        this.entries.set(key, entry);
      }
    }
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value);
    }
  }
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); null if absent. */
export function retryAfterSeconds(header, now = Date.now()) {
  if (header === null || header === undefined || header === "") return null;
  const text = String(header).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
