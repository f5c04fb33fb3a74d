// Options, stored in chrome.storage.sync (lib/settings.js validates everything read back).
// A server other than the built-in local one needs a host permission: it is requested here,
// from the Save click, because browsers only ask the reader during a user gesture.

import { ext } from "../background/platform.js";
import { createApiClient } from "../lib/api-client.js";
import { hostPermissionFor, needsPermissionRequest, normaliseServerUrl, normaliseSettings, SETTINGS_KEY } from "../lib/settings.js";
import { parseSiteList } from "../lib/url-rules.js";

const $ = (id) => document.getElementById(id);
const ALL_WEB_PAGES = ["http://*/*", "https://*/*"];

function show(settings) {
  $(settings.checkMode === "on-click" ? "mode-on-click" : "mode-automatic").checked = true;
  $("excluded-sites").value = settings.excludedSites.join("\n");
  $("send-page-content").checked = settings.sendPageContent;
  $("server-url").value = settings.serverUrl;
}

function status(text, error = false) {
  $("save-status").textContent = text;
  $("save-status").classList.toggle("error", error);
}

async function load() {
  const stored = await ext.storage.sync.get(SETTINGS_KEY);
  show(normaliseSettings(stored[SETTINGS_KEY]));
}

$("options-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const serverUrl = normaliseServerUrl($("server-url").value);
  if (serverUrl === null) {
    status("The server address must be an http or https address without a query.", true);
    $("server-url").focus();
    return;
  }
  const automatic = $("mode-automatic").checked;
  const sendPageContent = $("send-page-content").checked;
  const origins = [];
  if (needsPermissionRequest(serverUrl)) origins.push(hostPermissionFor(serverUrl));
  // Reading a page's HTML without a click on the toolbar needs access to the pages themselves.
  if (sendPageContent && automatic) origins.push(...ALL_WEB_PAGES);
  if (origins.length > 0) {
    let granted = false;
    try {
      granted = await ext.permissions.request({ origins });
    } catch (error) {
      status(`The browser refused the permission: ${error.message}`, true);
      return;
    }
    if (!granted) {
      status("Not saved: without that permission the extension cannot do it.", true);
      return;
    }
  }
  const settings = normaliseSettings({
    serverUrl,
    checkMode: automatic ? "automatic" : "on-click",
    excludedSites: parseSiteList($("excluded-sites").value),
    sendPageContent,
  });
  await ext.storage.sync.set({ [SETTINGS_KEY]: settings });
  show(settings);
  // Saved either way (the server may be down for a moment), but a wrong address is said now,
  // not found out later from a "!" on every page.
  status("Saved. Checking the server…");
  const trouble = await createApiClient({ serverUrl: settings.serverUrl }).checkServer();
  status(trouble === null ? "Saved." : `Saved, but: ${trouble} Check the server address.`, trouble !== null);
});

load().catch((error) => status(error.message, true));
