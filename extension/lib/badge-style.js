// The one place that maps a server answer to what the toolbar shows: colour, short text, tooltip.
// The text never relies on colour alone (colour-blind readers): each level has its own word.

import { describeProblem } from "./problems.js";

export const LEVELS = Object.freeze({
  reliable: { text: "OK", color: "#15803d", label: "Reliable" },
  mixed: { text: "MIX", color: "#b45309", label: "Mixed" },
  unreliable: { text: "LOW", color: "#b91c1c", label: "Unreliable" },
  unrated: { text: "–", color: "#6b7280", label: "Unrated" },
});

// Appended to the text when a moderator reviewed the label: the reader should know a person
// decided it, not only the automatic analysis.
export const REVIEWED_MARK = "✓";

// States without a label: nothing checked yet, a check running, a failed check (badgeForError).
const STATES = Object.freeze({
  idle: { text: "", color: "#6b7280", title: "Reliability label: not checked" },
  "on-click": { text: "", color: "#6b7280", title: "Reliability label: click to check this page" },
  excluded: { text: "", color: "#6b7280", title: "Reliability label: you excluded this site" },
  "private-link": { text: "", color: "#6b7280", title: "Reliability label: link looks private, not checked automatically; click to check" },
  "private-address": { text: "", color: "#6b7280", title: "Reliability label: private address, not sent" },
  "not-web-page": { text: "", color: "#6b7280", title: "Reliability label: not a web page" },
  "server-page": { text: "", color: "#6b7280", title: "Reliability label: the label server itself" },
  checking: { text: "…", color: "#6b7280", title: "Reliability label: checking…" },
  error: { text: "!", color: "#6b7280", title: "Reliability label: the check failed" },
});

/** A moderator decided this label (the server also flags the badge itself). */
export function isModerated(answer) {
  return answer?.moderation?.state === "decided" || answer?.badge?.moderated === true;
}

/** The level shown: unknown levels are shown as unrated rather than guessed. */
export function levelOf(answer) {
  const level = answer?.badge?.level;
  return Object.hasOwn(LEVELS, level) ? level : "unrated";
}

/** { text, color, title } for a badge or report answer from the server. */
export function badgeForAnswer(answer) {
  const level = levelOf(answer);
  const style = LEVELS[level];
  const moderated = isModerated(answer);
  const score = answer?.badge?.score;
  const parts = [`Reliability label: ${style.label}`];
  // a moderator who changed the level did not change the score: it is the automatic analysis's
  const overridden = moderated && typeof answer?.badge?.automatic_level === "string"
    && answer.badge.automatic_level !== answer.badge.level;
  if (typeof score === "number") parts.push(`${overridden ? "automatic score" : "score"} ${Math.round(score)}/100`);
  if (moderated) parts.push("reviewed by a moderator");
  const reasons = Array.isArray(answer?.badge?.reasons) ? answer.badge.reasons.slice(0, 3) : [];
  const title = [parts.join(", "), ...reasons.map((reason) => `• ${reason}`)].join("\n");
  return { text: moderated ? `${style.text}${REVIEWED_MARK}` : style.text, color: style.color, title };
}

/** { text, color, title } for a state without a label (see STATES). */
export function badgeForState(state, detail = "") {
  const style = STATES[state] ?? STATES.idle;
  return { ...style, title: detail ? `${style.title}: ${detail}` : style.title };
}

/**
 * { text, color, title } for a failed check (ApiError.toJSON()): "!" when the server could not
 * be reached or answered with a problem, each saying which; a page that is not an article is
 * not a failure but the grey unrated label.
 */
export function badgeForError(error) {
  const problem = describeProblem(error);
  if (problem.category === "not-article") {
    return { text: LEVELS.unrated.text, color: LEVELS.unrated.color, title: `Reliability label: ${LEVELS.unrated.label}, ${problem.summary}` };
  }
  return { ...STATES.error, title: `Reliability label: ${problem.summary}` };
}
