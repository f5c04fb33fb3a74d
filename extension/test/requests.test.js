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
