"""What the page sweep looks for on a page, run in the page by Playwright (tests/browser/test_page_sweep.py).

``PAGE_CHECKS`` takes ``{english: [catalogue ids]}`` and answers ``{kind: [what, where]}``:
- overflow: the page is wider than the window (a person scrolls sideways);
- one character a line: a visible box holding two or more Chinese characters is narrower than two
  characters of its font, so the text stands one character a line;
- untranslated: a text node (or a placeholder, a label for screen readers) that is exactly one of the
  catalogue's English ids, on a Chinese page.
"""
from __future__ import annotations

PAGE_CHECKS = r"""
({english}) => {
  const found = {"overflow": [], "one character a line": [], "untranslated": []};
  const over = document.documentElement.scrollWidth - window.innerWidth;
  const where = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { part += "#" + node.id; }
      else if (node.dataset && node.dataset.testid) { part += "[data-testid=" + node.dataset.testid + "]"; }
      else if (node.classList.length) { part += "." + Array.from(node.classList).slice(0, 2).join("."); }
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  if (over > 1) {
    // Name the widest boxes that reach past the window's right edge.
    const wide = Array.from(document.body.querySelectorAll("*"))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.getClientRects().length)
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
      .slice(0, 3).map(where);
    found["overflow"].push(over + "px wider than the window: " + wide.join(" ; "));
  }
  const cjk = /[\u3400-\u9fff\uf900-\ufaff]/g;
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") { return false; }
    const rect = el.getBoundingClientRect();
    return rect.width > 2 && rect.height > 2;  // a 1 px box is text for screen readers only
  };
  const seen = new Set();
  const catalogue = new Set(english);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    // A form control's text (a textarea's, an option's) is the control's value, not laid-out text.
    if (!el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "OPTION", "SELECT"].includes(el.tagName)) { continue; }
    const words = text.textContent.replace(/\s+/g, " ").trim();
    if (!words) { continue; }
    // A code (<code>: a formula's count name, an internal key shown as such) is not a word to translate.
    if (catalogue.has(words) && el.tagName !== "CODE" && el.closest("[lang]").getAttribute("lang") !== "en"
        && el.checkVisibility()) {
      const key = "untranslated " + words;
      if (!seen.has(key)) { seen.add(key); found["untranslated"].push(JSON.stringify(words) + " in " + where(el)); }
    }
    if ((words.match(cjk) || []).length < 2 || !visible(el)) { continue; }
    const size = parseFloat(getComputedStyle(el).fontSize);
    const range = document.createRange();
    range.selectNodeContents(text);
    const lines = Array.from(range.getClientRects()).filter((r) => r.width > 0);
    if (!lines.length) { continue; }  // not laid out (inside a closed <details>, say)
    // Wrapped text: its widest line; one line: the box's content width (a block) or the line (inline).
    const style = getComputedStyle(el);
    const content = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const widest = Math.max(0, ...lines.map((r) => r.width));
    // SVG text (a chart's axis title) is measured along its own line: turned 90 degrees, its
    // bounding box is as narrow as one character although the text reads on one line.
    const box = el instanceof SVGTextContentElement ? el.getComputedTextLength()
      : lines.length > 1 || style.display === "inline" || el instanceof SVGElement ? widest
      : Math.min(widest, content);
    if (box < 2 * size - 0.5) {
      const key = "narrow " + where(el) + words;
      if (!seen.has(key)) {
        seen.add(key);
        found["one character a line"].push(JSON.stringify(words.slice(0, 20)) + " in a " + Math.round(box)
          + "px box (font " + size + "px) at " + where(el));
      }
    }
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value && catalogue.has(value)) {
        found["untranslated"].push(name + "=" + JSON.stringify(value) + " on " + where(el));
      }
    }
  }
  return found;
}
"""


def format_failures(role: str, language: str, opened: list[str], failures: list[tuple[str, str]]) -> str:
    """One message for a role and language: each finding once, with the pages it was found on
    (the shell's findings repeat on every page and would bury the rest)."""
    pages: dict[str, list[str]] = {}
    for where, what in failures:
        pages.setdefault(what, []).append(where)
    lines = [f"{role} in {language}: {len(pages)} distinct findings on {len(opened)} pages opened"]
    for what, wheres in sorted(pages.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(wheres[:6]) + (f" and {len(wheres) - 6} more" if len(wheres) > 6 else "")
        lines.append(f"  {what}\n      on {shown}")
    return "\n".join(lines)
