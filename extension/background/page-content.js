// Reads the HTML of the page a tab shows, for "send page content". The callers decide whether
// the reader allowed it (lib/url-rules.js mayIncludePageContent); this only reads, and only if
// the tab still shows the page that was allowed.

export function createPageContent(ext) {
  return {
    async read(tabId, expectedUrl) {
      const [injection] = await ext.scripting.executeScript({
        target: { tabId },
        // Runs in the page's isolated world; returns a string, nothing else leaves the page.
        func: () => ({ url: location.href, html: document.documentElement.outerHTML }),
      });
      const result = injection?.result;
      if (!result || result.url !== expectedUrl) return undefined;
      return result.html;
    },
  };
}
