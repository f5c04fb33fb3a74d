// Options, stored in chrome.storage.sync (lib/settings.js validates everything read back).
// A server other than the built-in local one, and page content in automatic mode, need host
// permissions: they are requested here, from the Save click, because browsers only ask the
// reader during a user gesture; once saved settings no longer need them, they are given back.

import { ext, removalTakesCoveredPermissions } from "../background/platform.js";
import { createApiClient } from "../lib/api-client.js";
import { describeHostPermissions, hostPermissionsNeeded, hostPermissionsToGiveBack } from "../lib/host-permissions.js";
import { normaliseServerUrl, normaliseSettings, serverUrlProblem, SETTINGS_KEY } from "../lib/settings.js";
import { parseSiteList } from "../lib/url-rules.js";

const $ = (id) => document.getElementById(id);

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

async function storedSettings() {
  const stored = await ext.storage.sync.get(SETTINGS_KEY);
  return normaliseSettings(stored[SETTINGS_KEY]);
}

async function load() {
  show(await storedSettings());
}

/**
 * Gives back the host permissions `before` needed and `after` does not; returns what to add to
 * the status line ("" when there was nothing to give back).
 */
async function giveBackHostPermissions(before, after) {
  let giveBack;
  let keep;
  try {
    const { origins: granted = [] } = await ext.permissions.getAll();
    ({ giveBack, keep } = hostPermissionsToGiveBack(before, after, { granted, removalTakesCovered: removalTakesCoveredPermissions }));
    if (giveBack.length > 0) await ext.permissions.remove({ origins: giveBack });
  } catch (error) {
    return ` Access no longer needed could not be given back: ${error.message}`;
  }
  const notes = [];
  if (giveBack.length > 0) notes.push(`Access no longer needed was given back: ${describeHostPermissions(giveBack)}.`);
  if (keep.length > 0) {
    notes.push(`Access to ${describeHostPermissions(keep)} stays: in this browser, giving it back would also take access the extension still needs.`);
  }
  return notes.map((note) => ` ${note}`).join("");
}

$("options-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  // Nothing is saved (and no permission asked for) while the address is unusable.
  const problem = serverUrlProblem($("server-url").value);
  $("server-url").setAttribute("aria-invalid", String(problem !== null));
  if (problem !== null) {
    status(`Not saved. ${problem}`, true);
    $("server-url").focus();
    return;
  }
  const serverUrl = normaliseServerUrl($("server-url").value);
  const settings = normaliseSettings({
    serverUrl,
    checkMode: $("mode-automatic").checked ? "automatic" : "on-click",
    excludedSites: parseSiteList($("excluded-sites").value),
    sendPageContent: $("send-page-content").checked,
  });
  // The request comes first: the browser only asks the reader during the click.
  const origins = hostPermissionsNeeded(settings);
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
  const before = await storedSettings();
  await ext.storage.sync.set({ [SETTINGS_KEY]: settings });
  show(settings);
  const givenBack = await giveBackHostPermissions(before, settings);
  // Saved either way (the server may be down for a moment), but a wrong address is said now,
  // not found out later from a "!" on every page.
  status(`Saved.${givenBack} Checking the server…`);
  const trouble = await createApiClient({ serverUrl: settings.serverUrl }).checkServer();
  status(trouble === null ? `Saved.${givenBack}` : `Saved, but: ${trouble} Check the server address.${givenBack}`, trouble !== null);
});

load().catch((error) => status(error.message, true));
