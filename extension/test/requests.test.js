// The popup's requests to the background, with a fake server.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createRequestHandlers } from "../background/requests.js";

test("a second report the same day comes back as a duplicate, not as counted", async () => {
  const sent = [];
  const handlers = createRequestHandlers({
    ext: { tabs: { get: async () => ({ url: "https://a.example/story?utm_source=x" }) } },
    settings: { get: async () => ({ serverUrl: "http://s", checkMode: "automatic", excludedSites: [], sendPageContent: false }) },
    createClient: () => ({
      async reportLabel(body) {
        sent.push(body);
        return { status: "accepted", duplicate: sent.length > 1 };
      },
    }),
  });
  assert.deepEqual(await handlers["report-label"]({ tabId: 3, signal: "promotions", comment: "an ad" }), { reported: true, duplicate: false });
  assert.deepEqual(await handlers["report-label"]({ tabId: 3, comment: "again" }), { reported: true, duplicate: true });
  assert.equal(sent[0].url, "https://a.example/story");
});

test("the popup is told what an automatic check may do, so it does not check a private link by itself", async () => {
  let url = "https://app.example/reset/Zk3JqP9xWm2LrT8vNb4Y";
  const handlers = createRequestHandlers({
    ext: { tabs: { get: async () => ({ url }) } },
    settings: { get: async () => ({ serverUrl: "http://127.0.0.1:5000", checkMode: "automatic", excludedSites: [], sendPageContent: false }) },
    tabState: { get: async () => null },
  });
  let answer = await handlers["tab-state"]({ tabId: 1 });
  assert.deepEqual(answer.automatic, { allowed: false, reason: "private-link" });
  assert.deepEqual(answer.decision, { allowed: true, reason: "ok" }); // the reader may still click
  url = "http://192.168.1.1/status";
  answer = await handlers["tab-state"]({ tabId: 1 });
  assert.deepEqual(answer.automatic, { allowed: false, reason: "private-address" });
  assert.deepEqual(answer.decision, { allowed: false, reason: "private-address" });
  url = "https://news.example/story";
  answer = await handlers["tab-state"]({ tabId: 1 });
  assert.deepEqual(answer.automatic, { allowed: true, reason: "ok" });
});
