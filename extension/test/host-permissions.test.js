// Optional host permissions: asked for what the settings need, given back when they no longer
// need it, and never a built-in one or one still needed.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ALL_WEB_PAGES,
  describeHostPermissions,
  hostPermissionsNeeded,
  hostPermissionsToGiveBack,
  patternCovers,
} from "../lib/host-permissions.js";
import { BUILT_IN_HOST_PERMISSIONS, normaliseSettings } from "../lib/settings.js";

const LOCAL = "http://127.0.0.1:5000";
const settings = (overrides) => normaliseSettings({ serverUrl: LOCAL, checkMode: "automatic", sendPageContent: false, ...overrides });
const pageContent = settings({ sendPageContent: true });
const remote = (url, overrides = {}) => settings({ serverUrl: url, ...overrides });
// What the browser lists after the options page asked for everything `before` needed.
const grantedFor = (...all) => [...BUILT_IN_HOST_PERMISSIONS, ...new Set(all.flatMap(hostPermissionsNeeded))];
const CHROMIUM = { removalTakesCovered: true };
const FIREFOX = { removalTakesCovered: false };

test("needed: the server's host when it is not built in, all pages for page content in automatic mode", () => {
  assert.deepEqual(hostPermissionsNeeded(settings()), []);
  assert.deepEqual(hostPermissionsNeeded(settings({ serverUrl: "http://localhost:8080" })), []);
  assert.deepEqual(hostPermissionsNeeded(remote("https://labels.example.org:8443/api")), ["https://labels.example.org/*"]);
  assert.deepEqual(hostPermissionsNeeded(pageContent), ["http://*/*", "https://*/*"]);
  // On click, the toolbar click (activeTab) is enough to read the page.
  assert.deepEqual(hostPermissionsNeeded(settings({ sendPageContent: true, checkMode: "on-click" })), []);
  assert.deepEqual(hostPermissionsNeeded(remote("https://labels.example.org", { sendPageContent: true })),
    ["https://labels.example.org/*", ...ALL_WEB_PAGES]);
});

test("which pattern covers which", () => {
  assert.ok(patternCovers("http://*/*", "http://127.0.0.1/*"));
  assert.ok(patternCovers("https://*/*", "https://labels.example.org/*"));
  assert.ok(!patternCovers("https://*/*", "http://127.0.0.1/*"), "the scheme counts");
  assert.ok(patternCovers("*://*/*", "http://localhost/*"));
  assert.ok(patternCovers("https://*.example.org/*", "https://labels.example.org/*"));
  assert.ok(patternCovers("https://*.example.org/*", "https://example.org/*"));
  assert.ok(!patternCovers("https://*.example.org/*", "https://badexample.org/*"));
  assert.ok(!patternCovers("https://labels.example.org/*", "https://*/*"), "narrow never covers broad");
  assert.ok(!patternCovers("https://a.example/*", "https://b.example/*"));
  assert.ok(patternCovers("https://A.example/*", "https://a.example/*"));
  assert.ok(patternCovers("<all_urls>", "https://a.example/*"), "unreadable counts as covering: the safe answer");
});

test("page content switched off: all pages given back where the browser removes only what is named", () => {
  const result = hostPermissionsToGiveBack(pageContent, settings(), { granted: grantedFor(pageContent), ...FIREFOX });
  assert.deepEqual(result, { giveBack: ["http://*/*", "https://*/*"], keep: [] });
});

test("page content switched off in Chromium: http pages stay, removing them would take the local server with them", () => {
  const result = hostPermissionsToGiveBack(pageContent, settings(), { granted: grantedFor(pageContent), ...CHROMIUM });
  assert.deepEqual(result, { giveBack: ["https://*/*"], keep: ["http://*/*"] });
});

test("switching to on-click mode also gives page access back", () => {
  const onClick = settings({ sendPageContent: true, checkMode: "on-click" });
  const result = hostPermissionsToGiveBack(pageContent, onClick, { granted: grantedFor(pageContent), ...FIREFOX });
  assert.deepEqual(result.giveBack, ["http://*/*", "https://*/*"]);
});

test("another server: the old one's host is given back, the new one's kept", () => {
  const before = remote("https://old.example.org");
  const after = remote("https://labels.example.org");
  for (const browser of [CHROMIUM, FIREFOX]) {
    assert.deepEqual(hostPermissionsToGiveBack(before, after, { granted: grantedFor(before, after), ...browser }),
      { giveBack: ["https://old.example.org/*"], keep: [] });
    assert.deepEqual(hostPermissionsToGiveBack(before, settings(), { granted: grantedFor(before), ...browser }),
      { giveBack: ["https://old.example.org/*"], keep: [] });
  }
});

test("the same host on another port or path needs the same permission: nothing given back", () => {
  const before = remote("https://labels.example.org:8443");
  const after = remote("https://labels.example.org:9443/v2");
  assert.deepEqual(hostPermissionsToGiveBack(before, after, { granted: grantedFor(before), ...CHROMIUM }), { giveBack: [], keep: [] });
});

test("the old server's host is given back even while all pages stay granted", () => {
  const before = remote("https://old.example.org", { sendPageContent: true });
  const after = remote(LOCAL, { sendPageContent: true });
  const result = hostPermissionsToGiveBack(before, after, { granted: grantedFor(before), ...CHROMIUM });
  assert.deepEqual(result, { giveBack: ["https://old.example.org/*"], keep: [] });
});

test("page content off with a remote https server: all https pages stay unless the server's host is granted on its own", () => {
  const before = remote("https://labels.example.org", { sendPageContent: true });
  const after = remote("https://labels.example.org");
  const granted = grantedFor(before);
  assert.deepEqual(hostPermissionsToGiveBack(before, after, { granted, ...CHROMIUM }),
    { giveBack: [], keep: ["http://*/*", "https://*/*"] });
  assert.deepEqual(hostPermissionsToGiveBack(before, after, { granted, ...FIREFOX }),
    { giveBack: ["http://*/*", "https://*/*"], keep: [] });
  // Say the server's own grant is missing (settings synced from another computer): its access
  // comes only through "all https pages", which therefore stays.
  const withoutServer = granted.filter((origin) => origin !== "https://labels.example.org/*");
  assert.deepEqual(hostPermissionsToGiveBack(before, after, { granted: withoutServer, ...FIREFOX }),
    { giveBack: ["http://*/*"], keep: ["https://*/*"] });
});

test("only what the browser has granted is given back (so the options page never claims more)", () => {
  const result = hostPermissionsToGiveBack(pageContent, settings(), { granted: [...BUILT_IN_HOST_PERMISSIONS], ...FIREFOX });
  assert.deepEqual(result, { giveBack: [], keep: [] });
  // Nothing the old settings did not need, even if granted (the reader may have granted it elsewhere).
  const extra = [...grantedFor(pageContent), "https://elsewhere.example/*"];
  assert.deepEqual(hostPermissionsToGiveBack(settings(), settings(), { granted: extra, ...FIREFOX }), { giveBack: [], keep: [] });
});

test("never a built-in permission or one still needed; in Chromium, never one covering a needed one", () => {
  const servers = [LOCAL, "http://localhost:8080", "https://labels.example.org", "http://labels.example.org", "https://other.example"];
  const all = servers.flatMap((serverUrl) => [false, true].flatMap((sendPageContent) =>
    ["automatic", "on-click"].map((checkMode) => settings({ serverUrl, sendPageContent, checkMode }))));
  for (const before of all) {
    for (const after of all) {
      const stillNeeded = [...BUILT_IN_HOST_PERMISSIONS, ...hostPermissionsNeeded(after)];
      for (const browser of [CHROMIUM, FIREFOX]) {
        const { giveBack } = hostPermissionsToGiveBack(before, after, { granted: grantedFor(before, after), ...browser });
        const label = `${JSON.stringify(before)} → ${JSON.stringify(after)}`;
        for (const origin of giveBack) {
          assert.ok(!stillNeeded.includes(origin), `${origin} is still needed: ${label}`);
          if (browser === CHROMIUM) {
            assert.ok(!stillNeeded.some((needed) => patternCovers(origin, needed)), `${origin} covers a needed one: ${label}`);
          }
        }
      }
    }
  }
});

test("in the reader's words", () => {
  assert.equal(describeHostPermissions(["https://*/*"]), "all https:// pages");
  assert.equal(describeHostPermissions(["http://*/*", "https://*/*"]), "all pages");
  assert.equal(describeHostPermissions(["https://old.example.org/*"]), "old.example.org");
  assert.equal(describeHostPermissions(["https://a.example/*", "http://*/*", "https://*/*"]), "all pages and a.example");
  assert.equal(describeHostPermissions(["https://a.example/*", "https://b.example/*", "http://*/*"]), "a.example, b.example and all http:// pages");
});
