// Background entry point (a service worker in Chromium, an event page in Firefox).
// Small components are built here and every listener is registered synchronously at the top
// level: a Manifest V3 background is stopped when idle and restarted by the next event, and
// only listeners registered during that first run receive it.

import { ext } from "./platform.js";
import { createAnswerCache } from "./answer-cache.js";
import { createEvidenceHighlighter } from "./evidence-highlighter.js";
import { createMessageRouter } from "./message-router.js";
import { createPageContent } from "./page-content.js";
import { createRequestHandlers } from "./requests.js";
import { createSettingsStore } from "./settings-store.js";
import { createTabChecker } from "./tab-checker.js";
import { createTabState } from "./tab-state.js";
import { createToolbarBadge } from "./toolbar-badge.js";

const settings = createSettingsStore(ext);
const cache = createAnswerCache(ext);
const tabState = createTabState(ext);
const toolbar = createToolbarBadge(ext);
const pageContent = createPageContent(ext);
const highlighter = createEvidenceHighlighter(ext);
const tabChecker = createTabChecker({ settings, cache, tabState, toolbar, pageContent, highlighter });
const handlers = createRequestHandlers({ ext, settings, tabState, tabChecker, highlighter });

settings.subscribe(tabChecker.onSettingsChanged);

ext.tabs.onUpdated.addListener(tabChecker.onTabUpdated);
ext.tabs.onRemoved.addListener(tabChecker.onTabRemoved);
ext.storage.onChanged.addListener(settings.onStorageChanged);
ext.runtime.onMessage.addListener(createMessageRouter(ext, handlers));
