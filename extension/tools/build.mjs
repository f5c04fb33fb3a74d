// Writes dist/<browser>/ (and a zip when `zip` is available) for one browser from the one code
// base. The shared manifest already loads unpacked in both browsers; this only drops the keys
// the other browser does not use, so store uploads come without "unrecognised key" warnings.
//   node tools/build.mjs chromium|firefox

import { cpSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const target = process.argv[2];
if (!["chromium", "firefox"].includes(target)) {
  console.error("usage: node tools/build.mjs chromium|firefox");
  process.exit(2);
}

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "dist", target);
const SHIPPED = ["background", "content", "popup", "options", "lib", "icons"];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const dir of SHIPPED) cpSync(join(root, dir), join(out, dir), { recursive: true });

const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
if (target === "chromium") {
  delete manifest.background.scripts; // Chromium runs the service worker
  delete manifest.browser_specific_settings;
} else {
  delete manifest.background.service_worker; // Firefox runs background scripts (an event page)
  delete manifest.minimum_chrome_version;
}
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

const zip = spawnSync("zip", ["-qr", `../reliability-labels-${target}.zip`, "."], { cwd: out });
console.log(zip.status === 0 ? `built dist/${target}/ and dist/reliability-labels-${target}.zip` : `built dist/${target}/ (no zip: the zip tool is missing)`);
