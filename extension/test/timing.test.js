import assert from "node:assert/strict";
import { test } from "node:test";

import { ExpiringCache, KeyedDebouncer, retryAfterSeconds } from "../lib/timing.js";

function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map();
  return {
    setTimeout(fn, ms) { const id = nextId++; pending.set(id, { at: now + ms, fn }); return id; },
    clearTimeout(id) { pending.delete(id); },
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now) { pending.delete(id); timer.fn(); }
      }
    },
  };
}

test("debouncer: a burst of navigations in one tab gives one call, for the last page", () => {
  const timers = fakeTimers();
  const calls = [];
  const debouncer = new KeyedDebouncer((key, value) => calls.push([key, value]), 400, timers);
  debouncer.schedule(2, "https://b.example/");
  debouncer.schedule(1, "https://a.example/redirect");
  timers.advance(100);
  debouncer.schedule(1, "https://a.example/final");
  timers.advance(300);
  assert.deepEqual(calls, [[2, "https://b.example/"]]);
  timers.advance(99);
  assert.equal(calls.length, 1);
  timers.advance(1);
  assert.deepEqual(calls, [[2, "https://b.example/"], [1, "https://a.example/final"]]);
});

test("debouncer: cancel drops the pending call", () => {
  const timers = fakeTimers();
  const calls = [];
  const debouncer = new KeyedDebouncer((key) => calls.push(key), 400, timers);
  debouncer.schedule(1, "x");
  assert.equal(debouncer.isPending(1), true);
  debouncer.cancel(1);
  timers.advance(1000);
  assert.deepEqual(calls, []);
});

test("cache: entries expire", () => {
  let now = 1000;
  const cache = new ExpiringCache({ ttlMs: 100, now: () => now });
  cache.set("a", 1);
  now += 99;
  assert.equal(cache.get("a"), 1);
  now += 1;
  assert.equal(cache.get("a"), undefined);
});

test("cache: least recently used entries go first", () => {
  const cache = new ExpiringCache({ ttlMs: 1000, maxEntries: 2, now: () => 0 });
  cache.set("a", 1);
  cache.set("b", 2);
  cache.get("a");
  cache.set("c", 3);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("c"), 3);
});

test("cache: survives a round trip through storage, without expired entries", () => {
  let now = 0;
  const cache = new ExpiringCache({ ttlMs: 100, now: () => now });
  cache.set("old", 1, 10);
  cache.set("new", 2);
  now = 50;
  const saved = JSON.parse(JSON.stringify(cache.toJSON()));
  const restored = new ExpiringCache({ ttlMs: 100, now: () => now });
  restored.load(saved);
  assert.equal(restored.get("new"), 2);
  assert.equal(restored.get("old"), undefined);
  restored.load("garbage");
  assert.equal(restored.get("new"), undefined);
});

test("Retry-After: seconds or an HTTP date", () => {
  assert.equal(retryAfterSeconds("30"), 30);
  assert.equal(retryAfterSeconds(null), null);
  assert.equal(retryAfterSeconds("soon"), null);
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(retryAfterSeconds("Thu, 01 Jan 2026 00:01:00 GMT", now), 60);
});
