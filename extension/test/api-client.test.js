import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, createApiClient } from "../lib/api-client.js";

function fakeFetch(respond) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined });
    return respond(url, init);
  };
  return { calls, fetchImpl };
}

const json = (status, body, headers = {}) => new Response(JSON.stringify(body), {
  status,
  headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
});

test("lookupBadge posts the URL in a JSON body, never in the request URL, without cookies", async () => {
  const { calls, fetchImpl } = fakeFetch(() => json(200, { badge: { level: "reliable", score: 80, reasons: [] } }));
  const client = createApiClient({ serverUrl: "http://127.0.0.1:5000/", fetchImpl });
  const page = "https://news.example/a?b=1&c=2";
  const answer = await client.lookupBadge(page);
  assert.equal(answer.badge.level, "reliable");
  assert.equal(calls.length, 1);
  // Reverse proxies log request lines (query strings included), not bodies.
  assert.equal(calls[0].url, "http://127.0.0.1:5000/api/v1/badges/lookup");
  for (const form of [page, encodeURIComponent(page), "news.example"]) {
    assert.ok(!calls[0].url.includes(form), `the page's URL leaked into the request URL: ${calls[0].url}`);
  }
  assert.equal(calls[0].init.method, "POST");
  assert.equal(calls[0].init.headers["Content-Type"], "application/json");
  assert.equal(calls[0].init.body, JSON.stringify({ url: page }));
  assert.deepEqual(calls[0].body, { url: page });
  assert.equal(calls[0].init.credentials, "omit");
  assert.equal(calls[0].init.cache, "no-store");
  assert.ok(calls[0].init.signal instanceof AbortSignal, "the lookup can time out");
});

test("lookupBadge: 404 means no stored analysis yet", async () => {
  const { fetchImpl } = fakeFetch(() => json(404, { type: "about:blank", title: "Not Found", status: 404, detail: "No analysis" }));
  assert.equal(await createApiClient({ serverUrl: "http://s", fetchImpl }).lookupBadge("https://a.example/"), null);
});

test("lookupBadge: other problems reach the reader, as for every call", async () => {
  const { fetchImpl } = fakeFetch(() => json(422, { type: "https://x/invalid-url", title: "Invalid URL", status: 422, detail: "Not an http(s) URL." }));
  await assert.rejects(createApiClient({ serverUrl: "http://s", fetchImpl }).lookupBadge("https://a.example/"), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.kind, "http");
    assert.equal(error.message, "Not an http(s) URL.");
    return true;
  });
  const html = createApiClient({ serverUrl: "http://s", fetchImpl: async () => new Response("<html>", { status: 200 }) });
  await assert.rejects(html.lookupBadge("https://a.example/"), { kind: "invalid" });
});

test("lookupBadge gives up after its short timeout", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const fetchImpl = (url, init) => new Promise((resolve, reject) => {
    init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
  });
  const pending = createApiClient({ serverUrl: "http://s", fetchImpl }).lookupBadge("https://a.example/");
  t.mock.timers.tick(5_000);
  await assert.rejects(pending, { kind: "timeout", status: 0 });
});

test("analyse posts the URL, and the HTML only when given", async () => {
  const { calls, fetchImpl } = fakeFetch(() => json(200, { badge: { level: "mixed" }, signals: {} }));
  const client = createApiClient({ serverUrl: "http://s", fetchImpl });
  await client.analyse("https://a.example/");
  await client.analyse("https://a.example/", { html: "<p>hi</p>" });
  assert.deepEqual(calls[0].body, { url: "https://a.example/" });
  assert.deepEqual(calls[1].body, { url: "https://a.example/", html: "<p>hi</p>" });
  assert.equal(calls[1].init.method, "POST");
  assert.equal(calls[1].init.headers["Content-Type"], "application/json");
});

test("analyse asks for a fresh analysis only on a re-check", async () => {
  const { calls, fetchImpl } = fakeFetch(() => json(200, { badge: { level: "mixed" }, signals: {} }));
  const client = createApiClient({ serverUrl: "http://s", fetchImpl });
  await client.analyse("https://a.example/", { refresh: true });
  await client.analyse("https://a.example/", { refresh: false });
  assert.deepEqual(calls[0].body, { url: "https://a.example/", refresh: true });
  assert.deepEqual(calls[1].body, { url: "https://a.example/" });
});

test("problem+json details reach the reader", async () => {
  const { fetchImpl } = fakeFetch(() => json(422, { type: "https://x/fetch-refused", title: "Refused", status: 422, detail: "The page's address is not allowed." }));
  await assert.rejects(createApiClient({ serverUrl: "http://s", fetchImpl }).analyse("https://a.example/"), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.message, "The page's address is not allowed.");
    assert.equal(error.toJSON().problem.title, "Refused");
    return true;
  });
});

test("429 carries Retry-After", async () => {
  const { fetchImpl } = fakeFetch(() => json(429, { title: "Too Many Requests", status: 429 }, { "Retry-After": "17" }));
  await assert.rejects(createApiClient({ serverUrl: "http://s", fetchImpl }).lookupBadge("https://a.example/"), (error) => {
    assert.equal(error.status, 429);
    assert.equal(error.retryAfter, 17);
    assert.match(error.message, /17 s/);
    return true;
  });
});

test("no answer at all and non-JSON answers are clear errors", async () => {
  const down = createApiClient({ serverUrl: "http://s", fetchImpl: async () => { throw new TypeError("Failed to fetch"); } });
  await assert.rejects(down.lookupBadge("https://a.example/"), { kind: "network", status: 0 });
  const html = createApiClient({ serverUrl: "http://s", fetchImpl: async () => new Response("<html>", { status: 200 }) });
  await assert.rejects(html.analyse("https://a.example/"), { kind: "invalid" });
  const bare500 = createApiClient({ serverUrl: "http://s", fetchImpl: async () => new Response("oops", { status: 500 }) });
  await assert.rejects(bare500.analyse("https://a.example/"), { message: "The label server answered 500." });
});

test("reportLabel sends only what the reader gave", async () => {
  const { calls, fetchImpl } = fakeFetch(() => new Response(null, { status: 202 }));
  const client = createApiClient({ serverUrl: "http://s", fetchImpl });
  assert.deepEqual(await client.reportLabel({ url: "https://a.example/" }), {});
  await client.reportLabel({ url: "https://a.example/", signal: "promotions", comment: "It is an ad." });
  assert.deepEqual(calls[0].body, { url: "https://a.example/" });
  assert.deepEqual(calls[1].body, { url: "https://a.example/", signal: "promotions", comment: "It is an ad." });
});

test("429 on a report speaks of reports, not checks", async () => {
  const { fetchImpl } = fakeFetch(() => json(429, { title: "Too Many Requests", status: 429 }, { "Retry-After": "5" }));
  await assert.rejects(createApiClient({ serverUrl: "http://s", fetchImpl }).reportLabel({ url: "https://a.example/" }), {
    message: "Too many reports for now; try again in 5 s.",
  });
});

test("reportLabel passes the server's duplicate flag on", async () => {
  const { fetchImpl } = fakeFetch(() => json(202, { status: "accepted", duplicate: true }));
  assert.deepEqual(await createApiClient({ serverUrl: "http://s", fetchImpl }).reportLabel({ url: "https://a.example/" }),
    { status: "accepted", duplicate: true });
});

test("checkServer: a label server's /healthz is null trouble; anything else says what", async () => {
  const ok = fakeFetch(() => json(200, { status: "ok" }));
  assert.equal(await createApiClient({ serverUrl: "http://127.0.0.1:5000/", fetchImpl: ok.fetchImpl }).checkServer(), null);
  assert.equal(ok.calls[0].url, "http://127.0.0.1:5000/healthz");

  const wrongPath = fakeFetch(() => json(404, { title: "Not found" }));
  const trouble = await createApiClient({ serverUrl: "http://127.0.0.1:5000/api/v1", fetchImpl: wrongPath.fetchImpl }).checkServer();
  assert.match(trouble, /No label server answers at http:\/\/127\.0\.0\.1:5000\/api\/v1 \(GET \/healthz gave 404\)/);

  const down = fakeFetch(() => { throw new TypeError("Failed to fetch"); });
  assert.equal(await createApiClient({ serverUrl: "http://127.0.0.1:9", fetchImpl: down.fetchImpl }).checkServer(),
    "The label server could not be reached.");
});
