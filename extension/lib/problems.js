// What went wrong with a check, in the reader's words. A failed check is one of five things and
// the reader needs to do something different for each: the server did not answer (check its
// address), it is busy (wait), it could not fetch the page (send the page as seen), it answered
// with another problem (its title and detail say which), or the page is not an article at all
// (nothing is wrong: the page is unrated).
// `error` is ApiError.toJSON(): { message, status, kind, retryAfter, problem }.

// Problem types (server/errors.py: PROBLEM_BASE + kind) that mean "this page has no article".
const NOT_ARTICLE_TYPES = new Set(["not-html", "not-an-article"]);
// Kinds that mean the server could not fetch the page itself (server/fetch.py NOT_FETCHED_KINDS,
// checked equal by tests/server/test_check_page.py, besides every "upstream-…"): many sites turn
// away servers (403, a paywall, a login) but show the reader the page, so
// the page as the reader sees it can still be analysed.
// Not the private and intranet addresses the server may not reach: readers are never nudged to
// send such pages.
const FETCH_FAILED_KINDS = new Set(["bad-redirect", "redirect-loop", "too-many-redirects"]);

function fetchFailed(kind) {
  return kind.startsWith("upstream-") || FETCH_FAILED_KINDS.has(kind);
}

function problemKind(problem) {
  const type = typeof problem?.type === "string" ? problem.type : "";
  return type.slice(type.lastIndexOf("/") + 1);
}

function text(value) {
  return typeof value === "string" ? value.trim() : "";
}

/** "unreachable" | "rate-limited" | "not-article" | "fetch-failed" | "server-problem" */
export function problemCategory(error) {
  if (!error || error.kind === "network" || error.kind === "timeout" || !error.status) {
    return error?.kind === "invalid" ? "server-problem" : "unreachable";
  }
  if (error.status === 429) return "rate-limited";
  const kind = problemKind(error.problem);
  if (error.status === 422 && NOT_ARTICLE_TYPES.has(kind)) return "not-article";
  if (fetchFailed(kind)) return "fetch-failed";
  return "server-problem";
}

/** "try again in 17 s", or a vaguer wait when the server did not say. */
export function retryWait(retryAfter) {
  return Number.isFinite(retryAfter) && retryAfter > 0 ? `try again in ${Math.ceil(retryAfter)} s` : "try again in a minute";
}

/**
 * { category, summary, detail, retry, checkServer, sendPage }: `summary` is short (the toolbar
 * tooltip), `detail` the whole sentence for the popup, `retry` whether "Try again" makes sense,
 * `checkServer` whether the reader should look at the server address, `sendPage` whether sending
 * the page as the reader sees it would get round the problem. `canSendPage`: the popup offers
 * that (and the page was not already sent).
 */
export function describeProblem(error, { canSendPage = false } = {}) {
  const category = problemCategory(error);
  if (category === "unreachable") {
    const slow = error?.kind === "timeout";
    const summary = slow ? "the server took too long to answer" : "the server could not be reached";
    return {
      category,
      summary,
      detail: `The label server ${slow ? "took too long to answer" : "could not be reached"}. Check the server address in Options, then try again.`,
      retry: true,
      checkServer: true,
    };
  }
  if (category === "rate-limited") {
    const wait = retryWait(error.retryAfter);
    return { category, summary: `too many checks, ${wait}`, detail: `Too many checks for now; ${wait}.`, retry: true, checkServer: false };
  }
  const title = text(error.problem?.title);
  const detail = text(error.problem?.detail);
  if (category === "not-article") {
    const why = detail || title;
    return {
      category,
      summary: `not an article${why ? ` (${why})` : ""}`,
      detail: `Unrated: this page is not an article${why ? ` (${why.replace(/\.$/, "")})` : ""}.`,
      retry: false,
      checkServer: false,
    };
  }
  if (category === "fetch-failed") {
    const why = (detail || title || `HTTP ${error.status}`).replace(/\.$/, "");
    return {
      category,
      summary: `the server could not fetch the page (${why})`,
      detail: `The label server could not fetch this page itself (${why}).`
        + (canSendPage ? " Tick “Send the page as I see it” and try again." : ""),
      retry: true,
      checkServer: false,
      sendPage: canSendPage,
    };
  }
  // The server answered, with another problem: say which, in its own words.
  const said = [title, detail].filter(Boolean).join(": ")
    || (error.kind === "invalid" ? text(error.message) : `HTTP ${error.status}`);
  return {
    category,
    summary: `the server answered with a problem: ${said}`,
    detail: `The label server answered with a problem: ${said}${/[.!?]$/.test(said) ? "" : "."}`,
    retry: true,
    checkServer: false,
  };
}
