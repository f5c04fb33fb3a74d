// The popup opts into dark mode (`color-scheme: light dark`): its text colours must be readable
// on both backgrounds (WCAG AA, 4.5:1 for normal text).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const css = readFileSync(new URL("../popup/popup.css", import.meta.url), "utf8");

function variables(block) {
  return Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map(([, name, value]) => [name, value]));
}

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const TEXT = ["text", "muted", "red-text", "amber-text", "link"];
const light = variables(css.slice(css.indexOf(":root"), css.indexOf("}")));
const darkBlock = css.match(/@media \(prefers-color-scheme: dark\)\s*{([^}]*)}/);

test("a dark palette exists", () => {
  assert.ok(darkBlock, "popup.css needs a prefers-color-scheme: dark palette");
});

for (const [scheme, palette] of [["light", light], ["dark", { ...light, ...variables(darkBlock?.[1] ?? "") }]]) {
  test(`${scheme}: every text colour has at least 4.5:1 on the background`, () => {
    for (const name of TEXT) {
      assert.ok(palette[name] && palette.bg, `--${name} and --bg defined`);
      const ratio = contrast(palette[name], palette.bg);
      assert.ok(ratio >= 4.5, `--${name} ${palette[name]} on ${palette.bg}: ${ratio.toFixed(2)}:1`);
    }
  });
}

test("white pill text on each level colour", () => {
  for (const name of ["green", "amber", "red", "grey"]) assert.ok(contrast("#ffffff", light[name]) >= 4.5, name);
});

test("the hidden attribute wins over display rules", () => {
  assert.match(css, /\[hidden\]\s*{\s*display:\s*none\s*!important;?\s*}/);
});
