import assert from "node:assert/strict";
import { test } from "node:test";

import { createMessageRouter } from "../background/message-router.js";

const ext = { runtime: { id: "ext-id", getURL: (path) => `chrome-extension://ext-id/${path}` } };

function send(router, message, sender) {
  return new Promise((resolve) => {
    let answered = false;
    const keepOpen = router(message, sender, (answer) => { answered = true; resolve(answer); });
    if (!keepOpen && !answered) resolve("no answer");
  });
}

const popup = { id: "ext-id", url: "chrome-extension://ext-id/popup/popup.html?tabId=3" };

test("the popup's requests reach their handler", async () => {
  const router = createMessageRouter(ext, { ping: async (message) => ({ echo: message.tabId }) });
  assert.deepEqual(await send(router, { type: "ping", tabId: 3 }, popup), { ok: true, echo: 3 });
});

test("content scripts, web pages and other extensions are ignored", async () => {
  let called = false;
  const router = createMessageRouter(ext, { ping: async () => { called = true; return {}; } });
  for (const sender of [
    { id: "ext-id", url: "https://evil.example/", tab: { id: 1 } },
    { id: "other-extension", url: "chrome-extension://other-extension/popup.html" },
    { id: "ext-id", url: "chrome-extension://ext-id.evil.example/" },
    {},
    undefined,
  ]) {
    assert.equal(await send(router, { type: "ping" }, sender), "no answer");
  }
  assert.equal(called, false);
});

test("unknown requests and failing handlers answer with an error", async () => {
  const router = createMessageRouter(ext, { fail: async () => { throw new Error("nope"); } });
  assert.deepEqual(await send(router, { type: "toString" }, popup), { ok: false, error: { message: "Unknown request." } });
  assert.deepEqual(await send(router, null, popup), { ok: false, error: { message: "Unknown request." } });
  assert.deepEqual(await send(router, { type: "fail" }, popup), { ok: false, error: { message: "nope" } });
});
