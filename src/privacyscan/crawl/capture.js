// Runs inside a frame after scripts have run; returns plain JSON. Reads DOM *properties* (checked after
// scripts ran), not just attributes, because a box ticked by script after load is still pre-ticked.
(() => {
  const MAX_TEXT = 300;
  // Strings here are UTF-16: a page may hold lone surrogates, and a cut at N code units can split a pair,
  // which leaves text no UTF-8 encoder accepts. Lone surrogates become U+FFFD; cuts count code points.
  const wellFormed = (s) => (s.toWellFormed ? s.toWellFormed()
    : s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));
  const codePointsEnd = (s, n) => {  // index just after the first n code points of s
    let i = 0;
    for (let count = 0; count < n && i < s.length; count++) {
      const c = s.charCodeAt(i);
      i += c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xFC00) === 0xDC00 ? 2 : 1;
    }
    return i;
  };
  const head = (s, n) => { s = wellFormed(String(s)); const end = codePointsEnd(s, n); return s.slice(0, end); };
  const clean = (s) => wellFormed(s || "").replace(/\s+/g, " ").trim();
  const cut = (s, n) => { s = clean(s); const end = codePointsEnd(s, n); return end < s.length ? s.slice(0, end) + "…" : s; };

  const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/[^a-zA-Z0-9_-]/g, "\\$&"));
  function selectorOf(el) {
    if (el.id && document.querySelectorAll("#" + cssEscape(el.id)).length === 1) return "#" + cssEscape(el.id);
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      if (node.id && document.querySelectorAll("#" + cssEscape(node.id)).length === 1) {
        parts.unshift("#" + cssEscape(node.id));
        break;
      }
      let part = node.localName;
      const name = node.getAttribute("name");
      if (name && ["input", "select", "textarea", "form", "button"].includes(part)) {
        part += `[name="${name.replace(/"/g, '\\"')}"]`;
      }
      const parent = node.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.localName === node.localName);
        if (same.length > 1 && !part.includes("[")) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      node = parent;
    }
    return parts.join(" > ");
  }

  function visible(el) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const r = el.getBoundingClientRect();
    // A styled checkbox is often the invisible input under a visible label: count the label's box too.
    if (r.width > 0 && r.height > 0) return true;
    const label = el.labels && el.labels[0];
    if (label) { const lr = label.getBoundingClientRect(); return lr.width > 0 && lr.height > 0; }
    return false;
  }

  function labelOf(el) {
    const texts = [];
    if (el.labels) for (const l of el.labels) texts.push(l.innerText || l.textContent);
    const aria = el.getAttribute("aria-label");
    if (aria) texts.push(aria);
    const by = el.getAttribute("aria-labelledby");
    if (by) for (const id of by.split(/\s+/)) { const t = document.getElementById(id); if (t) texts.push(t.innerText || t.textContent); }
    if (!texts.length && el.title) texts.push(el.title);
    if (!texts.length && el.getAttribute("role")) texts.push(el.innerText || el.textContent);
    return cut(texts.join(" "), 500);
  }

  function nearbyText(el) {
    let node = el.parentElement;
    while (node && node !== document.body) {
      if (/^(p|div|li|fieldset|label|section|td)$/i.test(node.localName) && clean(node.innerText).length > 0) {
        return cut(node.innerText, MAX_TEXT);
      }
      node = node.parentElement;
    }
    return "";
  }

  function groupLabel(el) {
    const fieldset = el.closest("fieldset");
    if (fieldset) {
      const legend = fieldset.querySelector("legend");
      if (legend) return cut(legend.innerText || legend.textContent, 300);
    }
    const group = el.closest("[role=group], [role=radiogroup]");
    if (group) {
      const by = group.getAttribute("aria-labelledby");
      const t = by && document.getElementById(by.split(/\s+/)[0]);
      return cut(group.getAttribute("aria-label") || (t && (t.innerText || t.textContent)) || "", 300);
    }
    return "";
  }

  function hints(el, withId) {
    const out = {};
    for (const attr of el.attributes) {
      const n = attr.name;
      if (n === "class" || n.startsWith("data-") || n.startsWith("aria-") || (withId && n === "id")) {
        out[n] = head(attr.value, 100);
      }
    }
    return out;
  }

  function control(el) {
    const role = el.getAttribute("role");
    const ariaChecked = el.getAttribute("aria-checked");
    let checked = null;
    if (el.localName === "input" && ["checkbox", "radio"].includes(el.type)) checked = !!el.checked;
    else if (role === "checkbox" || role === "switch" || role === "radio") checked = ariaChecked === "true";
    else if (el.localName === "option") checked = !!el.selected;
    return {
      tag: el.localName,
      type: el.localName === "input" ? el.type : (el.localName === "select" ? "select" : null),
      name: el.getAttribute("name"),
      id: el.id || null,
      value: el.localName === "select" ? (el.value || null) : (el.getAttribute("value")),
      label: labelOf(el),
      nearby_text: nearbyText(el),
      checked,
      checked_attribute: el.localName === "input" && ["checkbox", "radio"].includes(el.type) ? el.hasAttribute("checked") : null,
      role,
      aria_checked: ariaChecked,
      required: !!el.required || el.getAttribute("aria-required") === "true",
      visible: visible(el),
      selector: selectorOf(el),
      group_label: groupLabel(el),
      attributes: hints(el, false),
    };
  }

  const CONTROLS = "input:not([type=hidden]), select, textarea, [role=checkbox], [role=switch], [role=radio]";
  const forms = [];
  for (const form of document.forms) {
    const controls = Array.from(form.querySelectorAll(CONTROLS)).slice(0, 200).map(control);
    const action = form.getAttribute("action");
    forms.push({
      selector: selectorOf(form),
      action: action === null ? location.href : new URL(action, location.href).href,
      method: (form.getAttribute("method") || "get").toLowerCase(),
      text: cut(form.innerText, 1500),
      controls,
      is_form_element: true,
      attributes: hints(form, true),
    });
  }
  // Consent checkboxes and toggles outside any <form> (single-page apps post with fetch()).
  const loose = Array.from(document.querySelectorAll("input[type=checkbox], [role=checkbox], [role=switch]"))
    .filter((el) => !el.closest("form"));
  const groups = new Map();
  for (const el of loose) {
    const box = el.closest("fieldset, section, [class*=form], div") || document.body;
    if (!groups.has(box)) groups.set(box, []);
    groups.get(box).push(el);
  }
  for (const [box, els] of groups) {
    forms.push({
      selector: selectorOf(box),
      action: null,
      method: "get",
      text: cut(box.innerText, 1500),
      controls: els.slice(0, 200).map(control),
      is_form_element: false,
    });
  }

  const regionOf = (a) => {
    if (a.closest("footer, [role=contentinfo]")) return "footer";
    if (a.closest("nav, [role=navigation]")) return "nav";
    if (a.closest("header, [role=banner]")) return "header";
    if (a.closest("[id*=cookie i], [class*=cookie i], [id*=consent i], [class*=consent i]")) return "banner";
    if (a.closest("main, [role=main]")) return "main";
    return "other";
  };
  const links = [];
  const seen = new Set();
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    let href;
    try { href = new URL(a.getAttribute("href"), location.href).href; } catch (e) { continue; }
    const text = cut(a.innerText || a.textContent || a.getAttribute("aria-label") || a.title || "", 200);
    const key = href + "|" + text;
    if (seen.has(key)) continue;
    seen.add(key);
    links.push({ url: href, text, region: regionOf(a) });
    if (links.length >= 1000) break;
  }

  const storage = [];
  for (const [kind, area] of [["local", () => window.localStorage], ["session", () => window.sessionStorage]]) {
    try {
      const s = area();
      for (let i = 0; i < s.length; i++) {
        const key = s.key(i);
        storage.push({ kind, key: wellFormed(key), value_preview: cut(String(s.getItem(key)), 120) });
      }
    } catch (e) { /* storage blocked in this frame */ }
  }

  return {
    title: wellFormed(document.title || ""),
    lang: document.documentElement.getAttribute("lang"),
    text: head(document.body ? document.body.innerText : "", 20000),
    links,
    forms,
    storage,
    origin: location.origin,
  };
})()
