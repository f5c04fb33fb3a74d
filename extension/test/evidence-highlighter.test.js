// "Show in page" on a page the extension may not enter: the reader is told what to do.
import assert from "node:assert/strict";
import { test } from "node:test";

import { NO_PAGE_ACCESS, createEvidenceHighlighter } from "../background/evidence-highlighter.js";

function refusingBrowser(message) {
  return { scripting: { async executeScript() { throw new Error(message); } } };
}

for (const message of ["Missing host permission for the tab",
  "Cannot access contents of the page. Extension manifest must request permission to access the respective host."]) {
  test(`a refused page is explained: ${message.slice(0, 30)}`, async () => {
    const highlighter = createEvidenceHighlighter(refusingBrowser(message));
    await assert.rejects(highlighter.show(7, { signals: {} }), { message: NO_PAGE_ACCESS });
  });
}

test("other failures pass through unchanged", async () => {
  const highlighter = createEvidenceHighlighter(refusingBrowser("No tab with id: 7"));
  await assert.rejects(highlighter.show(7, { signals: {} }), { message: "No tab with id: 7" });
});
