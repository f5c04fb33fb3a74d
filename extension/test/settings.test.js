import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_SETTINGS, hostPermissionFor, needsPermissionRequest, normaliseServerUrl, normaliseSettings } from "../lib/settings.js";

test("defaults: local server, automatic checks, nothing excluded, no page content", () => {
  assert.deepEqual(normaliseSettings(undefined), {
    serverUrl: "http://127.0.0.1:5000",
    checkMode: "automatic",
    excludedSites: [],
    sendPageContent: false,
  });
  assert.deepEqual(normaliseSettings({}), normaliseSettings(null));
  assert.equal(DEFAULT_SETTINGS.sendPageContent, false);
});

test("damaged stored values fall back to safe ones", () => {
  assert.deepEqual(normaliseSettings({ serverUrl: "javascript:alert(1)", checkMode: "sometimes", excludedSites: 7, sendPageContent: "yes" }), {
    serverUrl: "http://127.0.0.1:5000",
    checkMode: "automatic",
    excludedSites: [],
    sendPageContent: false,
  });
});

test("exclusions may be stored as a list or as text", () => {
  assert.deepEqual(normaliseSettings({ excludedSites: ["A.example", "b.example"] }).excludedSites, ["a.example", "b.example"]);
  assert.deepEqual(normaliseSettings({ excludedSites: "a.example\nb.example" }).excludedSites, ["a.example", "b.example"]);
});

test("server URLs", () => {
  assert.equal(normaliseServerUrl(" https://labels.example.org/ "), "https://labels.example.org");
  assert.equal(normaliseServerUrl("http://127.0.0.1:5000/base/"), "http://127.0.0.1:5000/base");
  for (const bad of ["ftp://x.example", "https://user:pw@x.example", "https://x.example/?a=1", "x.example", "", null]) {
    assert.equal(normaliseServerUrl(bad), null, String(bad));
  }
});

test("host permissions: the local server is built in, others are requested", () => {
  assert.equal(hostPermissionFor("http://127.0.0.1:5000"), "http://127.0.0.1/*");
  assert.equal(needsPermissionRequest("http://127.0.0.1:8080"), false);
  assert.equal(needsPermissionRequest("http://localhost:5000"), false);
  assert.equal(needsPermissionRequest("https://labels.example.org"), true);
  assert.equal(hostPermissionFor("https://labels.example.org:8443/x"), "https://labels.example.org/*");
});
