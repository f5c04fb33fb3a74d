// The popup: the label for the current tab, why, the evidence, and what the reader can do.
// All text is set with textContent (never innerHTML): reports quote arbitrary web pages.
//
// The tab is the active tab, or the one named by ?tabId=N: opening popup.html?tabId=N in a tab
// shows the same popup for tab N (automated tests use this; the toolbar cannot be clicked there).

import { ext } from "../background/platform.js";
import { LEVELS, levelOf } from "../lib/badge-style.js";
import { describeProblem } from "../lib/problems.js";
import {
  automaticLevelLine, highlightSummary, moderationLine, orderedSignals, reportOutcome, SCALE_NOTE, shortenQuote, signalName,
  sendPageHint, signalPercent, sourceLine,
} from "../lib/report-view.js";
import { evidenceQuotes } from "../lib/text-quote.js";

const $ = (id) => document.getElementById(id);
const MAX_QUOTES_PER_SIGNAL = 5;

const NOT_CHECKED = {
  "not-web-page": "Only web pages (http and https) are checked.",
  excluded: "You excluded this site in the options, so nothing about it is sent.",
  "server-page": "This is the label server itself.",
  "private-address": "Private address (this computer, your network or an intranet): not sent to the label server.",
};

let tabId = null;
let current = null; // the last "tab-state" answer
let sendContentDefaultShown = false;
let checking = false; // a check this popup asked for is running

async function request(type, payload = {}) {
  const answer = await ext.runtime.sendMessage({ type, tabId, ...payload });
  if (!answer?.ok) throw new Error(answer?.error?.message ?? "The extension could not do that.");
  return answer;
}

function setStatus(text, { error = false } = {}) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

// Several clicks on a check button must not start several checks (each a request to the server).
function setChecking(on) {
  checking = on;
  for (const id of ["check-now", "recheck", "retry"]) $(id).disabled = on;
}

async function findTabId() {
  const fromQuery = Number.parseInt(new URLSearchParams(location.search).get("tabId") ?? "", 10);
  if (Number.isInteger(fromQuery) && fromQuery >= 0) return fromQuery;
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function element(tag, { className, text, attrs } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
  return node;
}

function renderVerdict(answer) {
  const level = levelOf(answer);
  $("verdict").hidden = false;
  $("verdict-level").textContent = LEVELS[level].label;
  $("verdict-level").dataset.level = level;
  const score = answer.badge?.score;
  // After a moderator changed the level, the score is still the automatic analysis's.
  const overridden = automaticLevelLine(answer.badge, LEVELS) !== null;
  $("verdict-score").textContent = typeof score === "number"
    ? `${overridden ? "Automatic score" : "Score"} ${Math.round(score)}/100`
    : "";
  const reviewed = moderationLine(answer.moderation);
  $("moderation").hidden = reviewed === null;
  if (reviewed !== null) {
    $("moderation-line").textContent = reviewed;
    $("moderation-note").textContent = answer.moderation.note ?? "";
    $("moderation-automatic").textContent = automaticLevelLine(answer.badge, LEVELS) ?? "";
  }
  const reasons = Array.isArray(answer.badge?.reasons) ? answer.badge.reasons : [];
  $("reasons").replaceChildren(...reasons.map((reason) => element("li", { text: String(reason) })));
  $("scale-note").textContent = SCALE_NOTE;
}

function renderSignals(report) {
  const container = $("signals");
  const sections = orderedSignals(report).map(([key, signal]) => {
    const section = element("section", { className: "signal", attrs: { "data-signal": key, "data-level": String(signal.level ?? "") } });
    const head = element("div", { className: "signal-head" });
    head.append(element("h2", { text: signalName(key) }), element("span", { className: "signal-score", text: signalPercent(signal.score) }));
    section.append(head);
    if (signal.summary) section.append(element("p", { text: String(signal.summary) }));
    const evidence = Array.isArray(signal.evidence) ? signal.evidence.slice(0, MAX_QUOTES_PER_SIGNAL) : [];
    if (evidence.length > 0) {
      const list = element("ul", { className: "evidence" });
      for (const item of evidence) {
        const li = element("li");
        li.append(element("blockquote", { text: shortenQuote(item.exact) }));
        if (item.explanation) li.append(element("p", { className: "why", text: String(item.explanation) }));
        list.append(li);
      }
      section.append(list);
    }
    return section;
  });
  container.replaceChildren(...sections);
  container.hidden = sections.length === 0;

  // Rebuilt on every state change (e.g. "Show in page"): the reader's choice survives it.
  const select = $("report-signal");
  const chosen = select.value;
  select.replaceChildren(element("option", { text: "The label overall", attrs: { value: "" } }),
    ...orderedSignals(report).map(([key]) => element("option", { text: signalName(key), attrs: { value: key } })));
  if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
}

function render() {
  const { url, state, decision, automatic, checkMode, mayOfferPageContent, sendPageContentByDefault } = current;
  try {
    $("page-host").textContent = new URL(url).host || url;
  } catch {
    $("page-host").textContent = "";
  }
  const blocked = !decision.allowed;
  const answer = state?.status === "done" || state?.answer ? state?.answer : null;
  // Said from the rules themselves, not only from the tab's state: the popup may open before
  // the (debounced) automatic check has recorded anything.
  const privateLink = state?.status === "private-link" || automatic?.reason === "private-link";
  const running = state?.status === "checking";
  // The default once; after that the box is the reader's, re-renders must not undo a tick.
  if (!sendContentDefaultShown) {
    $("send-content").checked = sendPageContentByDefault;
    sendContentDefaultShown = true;
  }
  // A page the server could not fetch can still be sent as the reader sees it, if not sent already.
  const canSendPage = mayOfferPageContent && !$("send-content").checked;
  const problem = state?.error ? describeProblem(state.error, { canSendPage }) : null;
  const failed = !blocked && !answer && !running && problem !== null;
  const waitingForClick = !blocked && !answer && !failed && (checkMode === "on-click" || privateLink) && !running;
  $("on-click").hidden = !(waitingForClick && !privateLink);
  $("private-link").hidden = !(waitingForClick && privateLink);
  $("check-now").hidden = !waitingForClick;
  $("retry").hidden = !(failed && problem.retry);
  $("recheck").hidden = blocked || !answer;
  $("check-controls").hidden = $("check-now").hidden && $("retry").hidden && $("recheck").hidden;
  for (const id of ["check-now", "recheck", "retry"]) $(id).disabled = checking || running;
  $("actions").hidden = blocked || !answer;
  $("report").hidden = blocked || !answer;
  $("verdict").hidden = !answer;
  $("signals").hidden = !(answer && state.full);
  $("send-content-choice").hidden = !mayOfferPageContent;
  // Nothing to show in the page without quotes; the summary says so.
  const hasQuotes = Boolean(answer && state.full) && evidenceQuotes(answer).length > 0;
  $("show-in-page").disabled = !hasQuotes;
  $("show-in-page").checked = Boolean(state?.highlight);
  $("highlight-summary").textContent = state?.highlight
    ? highlightSummary(state.highlight)
    : answer && state.full && !hasQuotes ? highlightSummary({}) : "";

  if (blocked) setStatus(NOT_CHECKED[decision.reason] ?? "This page is not checked.");
  else if (running) setStatus("Checking…");
  // A page that is not an article is unrated, not an error.
  else if (problem) setStatus(problem.detail, { error: problem.category !== "not-article" });
  else setStatus("");
  if (answer) {
    renderVerdict(answer);
    $("source").textContent = [sourceLine(answer.source, state.pageContent), sendPageHint(answer, { canSendPage })]
      .filter(Boolean).join(" ");
    if (state.full) renderSignals(answer);
  }
}

async function refresh() {
  current = await request("tab-state");
  render();
}

async function check(options) {
  if (checking) return;
  setChecking(true);
  setStatus("Checking…");
  try {
    await request("check-tab", options);
  } catch (error) {
    setStatus(error.message, { error: true });
  } finally {
    setChecking(false);
  }
  await refresh();
}

async function start() {
  tabId = await findTabId();
  if (tabId === null) {
    setStatus("No tab to check.");
    return;
  }
  await refresh();
  const { state, automatic } = current;
  // Opening the popup is a request for details in automatic mode, for pages automatic checks may
  // send; in on-click mode, and for private links, the reader presses "Check this page" first, so
  // nothing leaves the browser before that.
  // A page the server said is not an article is not asked about again each time.
  if (automatic.allowed && state?.status !== "not-article" && !(state?.answer && state.full)) {
    await check({ full: true });
  }
}

$("check-now").addEventListener("click", () => check({ full: true, sendContent: $("send-content").checked }));
$("recheck").addEventListener("click", () => check({ full: true, force: true, sendContent: $("send-content").checked }));
$("retry").addEventListener("click", () => check({ full: true, sendContent: $("send-content").checked }));

$("show-in-page").addEventListener("change", async (event) => {
  const on = event.target.checked;
  $("highlight-summary").textContent = on ? "Finding the quotes in the page…" : "";
  try {
    const { highlight } = await request("show-evidence", { on });
    $("highlight-summary").textContent = highlight ? highlightSummary(highlight) : "";
  } catch (error) {
    event.target.checked = false;
    $("highlight-summary").textContent = error.message;
  }
});

$("report-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("report-send").disabled = true;
  $("report-status").textContent = "Sending…";
  try {
    const { duplicate } = await request("report-label", { signal: $("report-signal").value || undefined, comment: $("report-comment").value });
    $("report-status").textContent = reportOutcome({ duplicate });
    // A dropped comment stays in the box: the reader may want to keep it.
    if (!duplicate) $("report-comment").value = "";
  } catch (error) {
    $("report-status").textContent = error.message;
    $("report-send").disabled = false;
  }
});

$("open-options").addEventListener("click", () => ext.runtime.openOptionsPage());

// The background records progress in storage.session; follow it while the popup is open.
ext.storage.onChanged.addListener((changes, area) => {
  if (area === "session" && tabId !== null && Object.hasOwn(changes, `tab:${tabId}`)) refresh().catch(() => {});
});

start().catch((error) => setStatus(error.message, { error: true }));
