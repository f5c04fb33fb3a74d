import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DEFAULT_SETTINGS, hostPermissionFor, needsPermissionRequest, normaliseServerUrl, normaliseSettings, serverUrlProblem,
} from "../lib/settings.js";

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

test("a remote server must be https: plain http only on this computer", () => {
  for (const bad of ["http://labels.example.org", "http://labels.example.org:8080/base", "http://10.0.0.5:5000", "http://192.168.1.2",
    "http://localhost.example.org", "http://[fe80::1]:5000", "http://[2001:db8::1]"]) {
    assert.equal(normaliseServerUrl(bad), null, bad);
    assert.match(serverUrlProblem(bad), /must start with https:\/\//, bad);
  }
  for (const [good, expected] of [
    ["http://127.0.0.1:5000", "http://127.0.0.1:5000"],
    ["http://127.8.9.10:5000/", "http://127.8.9.10:5000"],
    ["http://localhost:5000", "http://localhost:5000"],
    ["http://[::1]:5000", "http://[::1]:5000"],
    ["https://labels.example.org/", "https://labels.example.org"],
    ["https://10.0.0.5:8443", "https://10.0.0.5:8443"],
  ]) {
    assert.equal(serverUrlProblem(good), null, good);
    assert.equal(normaliseServerUrl(good), expected, good);
  }
});

test("each unusable server address says why", () => {
  assert.match(serverUrlProblem("labels.example.org"), /full https:\/\/ address/);
  assert.match(serverUrlProblem("https://u:p@labels.example.org"), /user name, password/);
  assert.match(serverUrlProblem("https://labels.example.org/?k=1"), /query/);
});

test("a stored plain-http remote server is not used: back to the local default", () => {
  assert.equal(normaliseSettings({ serverUrl: "http://labels.example.org" }).serverUrl, "http://127.0.0.1:5000");
  assert.equal(normaliseSettings({ serverUrl: "https://labels.example.org" }).serverUrl, "https://labels.example.org");
});
