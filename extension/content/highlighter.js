// Content script for "Show in page", injected on request only (never on every page).
// It reads the page's visible text with a map back to its text nodes, and wraps the ranges
// the background found (lib/text-quote.js) in <mark> elements with an explanation.
//
// Care for the page: only text nodes are split and wrapped, never elements moved or removed;
// the marks' look comes from a user-origin stylesheet the background inserts
// (content/highlighter.css), so page styles cannot change their size and they cannot change the
// page's layout; everything is undone by clear().
//
// A classic script (content scripts cannot be modules), safe to inject more than once.

(() => {
  if (globalThis.reliabilityLabelHighlighter) return;

  const MARK_CLASS = "reliability-label-mark";
  const SKIPPED = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "SELECT", "OPTION", "IFRAME", "OBJECT", "SVG", "CANVAS", "HEAD"]);
  const BLOCKS = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "BODY", "DD", "DETAILS", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION",
    "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P",
    "PRE", "SECTION", "SUMMARY", "TABLE", "TBODY", "TD", "TH", "THEAD", "TFOOT", "TR", "UL",
  ]);
  // Wrapping a text node directly inside these would produce invalid markup.
  const NO_INLINE_CHILDREN = new Set(["TABLE", "TBODY", "THEAD", "TFOOT", "TR", "UL", "OL", "DL", "SELECT", "COLGROUP"]);

  let tooltip = null;

  function blockOf(node) {
    let element = node.parentElement;
    while (element && !BLOCKS.has(element.tagName)) element = element.parentElement;
    return element;
  }

  function isSkipped(node) {
    for (let element = node.parentElement; element; element = element.parentElement) {
      if (SKIPPED.has(element.tagName.toUpperCase())) return true;
    }
    return false;
  }

  function hash(text) {
    // FNV-1a: cheap check that the page text did not change between reading and marking.
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i += 1) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  /** The page text, with a line break wherever a block ends, and where each text node starts. */
  function collect() {
    const parts = [];
    const nodes = [];
    let length = 0;
    let previousBlock = null;
    let pendingBreak = false;
    const root = document.body ?? document.documentElement;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, {
      acceptNode(node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          if (SKIPPED.has(node.tagName.toUpperCase())) return NodeFilter.FILTER_REJECT;
          return node.tagName === "BR" ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        pendingBreak = true; // <br>
        continue;
      }
      if (node.data.length === 0 || isSkipped(node)) continue;
      const block = blockOf(node);
      if ((pendingBreak || block !== previousBlock) && length > 0) {
        parts.push("\n");
        length += 1;
      }
      pendingBreak = false;
      previousBlock = block;
      nodes.push({ node, start: length });
      parts.push(node.data);
      length += node.data.length;
    }
    const text = parts.join("");
    return { text, nodes, textHash: hash(text) };
  }

  /** Index of the last text node starting at or before `offset`. */
  function nodeIndexAt(nodes, offset) {
    let low = 0;
    let high = nodes.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (nodes[middle].start <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  function describe(ids, notes) {
    const lines = [];
    for (const id of ids) {
      const note = notes[id];
      if (note) lines.push(note.explanation ? `${note.label}: ${note.explanation}` : note.label);
    }
    return [...new Set(lines)].join("\n");
  }

  function wrap(textNode, from, to, ids, notes) {
    if (NO_INLINE_CHILDREN.has(textNode.parentNode?.nodeName)) return null;
    if (textNode.data.slice(from, to).trim() === "") return null;
    if (to < textNode.data.length) textNode.splitText(to);
    const middle = from > 0 ? textNode.splitText(from) : textNode;
    const mark = document.createElement("mark");
    mark.className = MARK_CLASS;
    mark.dataset.reliabilityLabelIds = ids.join(" ");
    mark.dataset.reliabilityLabelSignals = [...new Set(ids.map((id) => notes[id]?.signal).filter(Boolean))].join(" ");
    mark.title = describe(ids, notes);
    middle.parentNode.insertBefore(mark, middle);
    mark.appendChild(middle);
    return mark;
  }

  function ensureTooltip() {
    if (tooltip?.isConnected) return tooltip;
    tooltip = document.createElement("div");
    tooltip.setAttribute("role", "tooltip");
    tooltip.dataset.reliabilityLabelTooltip = "";
    // Styled through the CSSOM, which a page's content security policy does not block.
    const style = {
      position: "fixed", "z-index": "2147483647", "max-width": "22rem", padding: "0.4rem 0.6rem",
      background: "#111827", color: "#ffffff", font: "13px/1.4 system-ui, sans-serif", "border-radius": "6px",
      "pointer-events": "none", "white-space": "pre-line", display: "none", margin: "0", "text-align": "left",
    };
    for (const [name, value] of Object.entries(style)) tooltip.style.setProperty(name, value, "important");
    document.documentElement.appendChild(tooltip);
    return tooltip;
  }

  // Mouse readers get the native title; keyboard readers get this tooltip on focus.
  function onFocusIn(event) {
    const mark = event.target?.closest?.(`mark.${MARK_CLASS}`);
    if (!mark) return;
    const tip = ensureTooltip();
    const box = mark.getBoundingClientRect();
    tip.textContent = mark.title;
    tip.style.setProperty("left", `${Math.max(4, Math.min(box.left, window.innerWidth - 360))}px`, "important");
    tip.style.setProperty("top", `${box.bottom + 6}px`, "important");
    tip.style.setProperty("display", "block", "important");
  }

  function onFocusOut() {
    tooltip?.style.setProperty("display", "none", "important");
  }

  function clear() {
    const marks = document.querySelectorAll(`mark.${MARK_CLASS}`);
    const parents = new Set();
    for (const mark of marks) {
      const parent = mark.parentNode;
      if (!parent) continue;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parents.add(parent);
    }
    // Join the text nodes split for marking, so the page's DOM is as it was.
    for (const parent of parents) parent.normalize();
    tooltip?.remove();
    tooltip = null;
    document.removeEventListener("focusin", onFocusIn, true);
    document.removeEventListener("focusout", onFocusOut, true);
    return marks.length;
  }

  function mark(plan) {
    clear();
    const page = collect();
    if (page.text.length !== plan.textLength || page.textHash !== plan.textHash) return { stale: true };
    const { nodes } = page;
    const firstMarkOf = new Map();
    let marked = 0;
    // Last segment first: splitting a text node keeps its beginning in the same node object, so
    // the offsets of everything earlier in the page stay valid.
    for (let s = plan.segments.length - 1; s >= 0; s -= 1) {
      const { start, end, ids } = plan.segments[s];
      if (nodes.length === 0 || end <= start) continue;
      const first = nodeIndexAt(nodes, start);
      const last = nodeIndexAt(nodes, Math.max(start, end - 1));
      for (let n = last; n >= first; n -= 1) {
        const { node, start: nodeStart } = nodes[n];
        const from = Math.max(0, start - nodeStart);
        const to = Math.min(node.data.length, end - nodeStart);
        if (to <= from) continue;
        const element = wrap(node, from, to, ids, plan.notes);
        if (element) {
          marked += 1;
          for (const id of ids) firstMarkOf.set(id, element); // ends as the earliest piece
        }
      }
    }
    // One keyboard stop per quote, at its start.
    for (const element of new Set(firstMarkOf.values())) element.tabIndex = 0;
    document.addEventListener("focusin", onFocusIn, true);
    document.addEventListener("focusout", onFocusOut, true);
    firstMarkOf.get(plan.scrollTo)?.scrollIntoView({ behavior: "smooth", block: "center" });
    return { stale: false, marked };
  }

  globalThis.reliabilityLabelHighlighter = {
    readText() {
      const { text, textHash } = collect();
      return { text, textHash };
    },
    mark,
    clear,
  };
})();
