// Talking to the label server (server/, API v1). `fetch` is injected, so node tests can use a
// fake; in the extension it is the service worker's fetch. Every failure becomes an ApiError
// carrying the server's problem+json detail, so the popup can tell the reader what happened.

import { retryAfterSeconds } from "./timing.js";

const LOOKUP_TIMEOUT_MS = 5_000; // the badge lookup must stay quick
const ANALYSIS_TIMEOUT_MS = 45_000; // a full analysis may fetch and parse the page first
const MAX_PAGE_CONTENT_CHARS = 2_000_000; // the server refuses large bodies; do not send them

export class ApiError extends Error {
  constructor(message, { status = 0, problem = null, retryAfter = null, kind = "http" } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status; // 0: no answer at all
    this.problem = problem; // the problem+json body, when there was one
    this.retryAfter = retryAfter; // seconds, for 429 and 503
    this.kind = kind; // "http" | "network" | "timeout" | "invalid"
  }

  /** Plain data for messages between the extension's parts (Error objects do not survive them). */
  toJSON() {
    return { message: this.message, status: this.status, kind: this.kind, retryAfter: this.retryAfter, problem: this.problem };
  }
}

export function createApiClient({ serverUrl, fetchImpl = globalThis.fetch.bind(globalThis) }) {
  const base = serverUrl.replace(/\/+$/, "");

  async function call(method, path, { body, timeoutMs }) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        headers: body === undefined
          ? { Accept: "application/json" }
          : { Accept: "application/json", "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        // The reader's cookies for the server are none of the analysis's business.
        credentials: "omit",
        cache: "no-store",
      });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      throw new ApiError(timedOut ? "The label server took too long to answer." : "The label server could not be reached.", {
        kind: timedOut ? "timeout" : "network",
      });
    } finally {
      clearTimeout(timer);
    }
    return response;
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }

  // `what` names the request in the 429 message: the reader sent a report, not a check.
  async function failure(response, what = "checks") {
    const problem = await readJson(response);
    const retryAfter = retryAfterSeconds(response.headers.get("Retry-After"));
    let message = problem && typeof problem.detail === "string" && problem.detail
      ? problem.detail
      : problem && typeof problem.title === "string" && problem.title
        ? problem.title
        : `The label server answered ${response.status}.`;
    if (response.status === 429) {
      message = `Too many ${what} for now${retryAfter !== null ? `; try again in ${retryAfter} s` : ""}.`;
    }
    return new ApiError(message, { status: response.status, problem, retryAfter });
  }

  async function expectJson(response) {
    const data = await readJson(response);
    if (data === null || typeof data !== "object") {
      throw new ApiError("The label server sent an answer the extension does not understand.", {
        status: response.status,
        kind: "invalid",
      });
    }
    return data;
  }

  return {
    /** The stored badge for a URL, or null when the server has none yet (404). A POST with the
     * URL in the body (not GET /api/v1/badges?url=…): reverse proxies write request lines,
     * query strings included, to their access logs next to the reader's address. */
    async lookupBadge(url) {
      const response = await call("POST", "/api/v1/badges/lookup", { body: { url }, timeoutMs: LOOKUP_TIMEOUT_MS });
      if (response.status === 404) return null;
      if (!response.ok) throw await failure(response);
      return expectJson(response);
    },

    /** The full report; with `html`, the server analyses what the reader sees instead of fetching;
     * with `refresh`, it redoes a cached analysis (the reader's "Re-check this page"). */
    async analyse(url, { html, refresh = false } = {}) {
      const body = { url };
      if (typeof html === "string" && html.length > 0) body.html = html.slice(0, MAX_PAGE_CONTENT_CHARS);
      if (refresh) body.refresh = true;
      const response = await call("POST", "/api/v1/analyses", { body, timeoutMs: ANALYSIS_TIMEOUT_MS });
      if (!response.ok) throw await failure(response);
      return expectJson(response);
    },

    /** Whether a label server answers at this address: its /healthz says {"status": "ok"}.
     * Resolves to null when it does, else to a sentence saying what went wrong. */
    async checkServer() {
      let response;
      try {
        response = await call("GET", "/healthz", { timeoutMs: LOOKUP_TIMEOUT_MS });
      } catch (error) {
        return error.message;
      }
      const data = response.ok ? await readJson(response) : null;
      if (data?.status === "ok") return null;
      return `No label server answers at ${base} (GET /healthz gave ${response.status}).`;
    },

    /** A reader saying "this label is wrong". The server answers `duplicate: true` when this
     * reader already reported the page today: that report counts, this one was dropped. */
    async reportLabel({ url, signal, comment }) {
      const body = { url };
      if (signal) body.signal = signal;
      if (comment) body.comment = comment;
      const response = await call("POST", "/api/v1/reports", { body, timeoutMs: LOOKUP_TIMEOUT_MS });
      if (!response.ok) throw await failure(response, "reports");
      return (await readJson(response)) ?? {};
    },
  };
}
