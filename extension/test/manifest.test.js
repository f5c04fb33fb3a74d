// The manifest and the code base keep the promises made in README.md: every referenced file
// exists, the permissions are the documented ones, no remote code, a strict CSP.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));

function files(dir) {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : [path];
  });
}

const shipped = ["background", "content", "popup", "options", "lib"].flatMap(files);

test("manifest version 3 with a module background for both browsers", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.service_worker, "background/main.js");
  assert.deepEqual(manifest.background.scripts, ["background/main.js"]);
  assert.equal(manifest.background.type, "module");
  assert.ok(manifest.browser_specific_settings.gecko.id);
});

test("every file the manifest names exists", () => {
  const named = [
    manifest.background.service_worker,
    manifest.action.default_popup,
    manifest.options_ui.page,
    ...Object.values(manifest.icons),
    ...Object.values(manifest.action.default_icon),
  ];
  for (const path of named) assert.ok(existsSync(join(root, path)), path);
});

test("permissions are exactly the ones README.md explains", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  assert.deepEqual(manifest.permissions, ["storage", "tabs", "activeTab", "scripting"]);
  for (const permission of [...manifest.permissions, ...manifest.host_permissions, ...manifest.optional_host_permissions]) {
    assert.ok(readme.includes(`\`${permission}\``), `README.md explains ${permission}`);
  }
  assert.ok(!JSON.stringify(manifest).includes("<all_urls>"));
  assert.equal(manifest.content_scripts, undefined, "content scripts are injected on request only");
});

test("strict content security policy", () => {
  const csp = manifest.content_security_policy.extension_pages;
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /object-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-|\*/);
});

test("no remote code, no eval, no innerHTML", () => {
  for (const path of shipped.filter((p) => /\.(js|html)$/.test(p))) {
    const source = readFileSync(join(root, path), "utf8");
    assert.doesNotMatch(source, /<script[^>]+src=["']https?:/i, path);
    assert.doesNotMatch(source, /import\s*\(?\s*["']https?:/, path);
    assert.doesNotMatch(source, /\beval\s*\(|new Function\s*\(/, path);
    assert.doesNotMatch(source, /\.innerHTML\s*=|insertAdjacentHTML|document\.write/, path);
  }
});

test("pages load only their own scripts and styles, without inline code", () => {
  for (const path of shipped.filter((p) => p.endsWith(".html"))) {
    const source = readFileSync(join(root, path), "utf8");
    assert.doesNotMatch(source, /<script(?![^>]*\bsrc=)[^>]*>/i, `${path}: inline script`);
    assert.doesNotMatch(source, /\son[a-z]+=/i, `${path}: inline handler`);
    assert.doesNotMatch(source, /<style/i, `${path}: inline style`);
  }
});

test("pure modules use no browser APIs", () => {
  for (const path of files("lib")) {
    const source = readFileSync(join(root, path), "utf8").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(source, /\bchrome\.|\bbrowser\.|\bdocument\.|\bwindow\./, path);
  }
});
