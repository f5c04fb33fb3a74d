// The background's one message listener. Only the extension's own pages (popup, options) may
// send requests: content scripts never need to, and web pages cannot reach
// runtime.onMessage at all, but a compromised page's content-script context could, so every
// message is checked against the sender before any handler runs.

export function createMessageRouter(ext, handlers) {
  const extensionBase = ext.runtime.getURL("");

  function isExtensionPage(sender) {
    return sender?.id === ext.runtime.id && typeof sender.url === "string" && sender.url.startsWith(extensionBase);
  }

  function errorData(error) {
    if (error && typeof error.toJSON === "function") return error.toJSON();
    return { message: String(error?.message ?? error ?? "Unknown error") };
  }

  return function onMessage(message, sender, sendResponse) {
    if (!isExtensionPage(sender)) return false;
    const handler = message && typeof message.type === "string" && Object.hasOwn(handlers, message.type)
      ? handlers[message.type]
      : null;
    if (handler === null) {
      sendResponse({ ok: false, error: { message: "Unknown request." } });
      return false;
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (result) => sendResponse({ ok: true, ...result }),
        (error) => sendResponse({ ok: false, error: errorData(error) }),
      );
    return true; // the answer is sent asynchronously
  };
}
