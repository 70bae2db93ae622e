// privacyscan: read a consent banner as a visitor sees it. Evaluated by crawl/consent/driver.py as
// `(args) => ...`; args.op is one of "find", "describe", "toggles", "visible".
// Patterns come from data/banner_phrases.json (compiled by crawl/consent/phrases.py).
(args) => {
  const MAX_TEXT = 4000;
  const norm = (t) => (t || "").normalize("NFC").toLowerCase()
    .replace(/[\u2018\u2019]/g, "'").replace(/\u00a0/g, " ")
    .replace(/[^\p{L}\p{N}_'×✕\s]+/gu, " ").replace(/\s+/g, " ").trim();
  const compiled = {};
  const patterns = (args.phrases && args.phrases.patterns) || {};
  for (const kind of Object.keys(patterns)) {
    compiled[kind] = patterns[kind].map((s) => { try { return new RegExp(s, "u"); } catch (e) { return null; } })
      .filter(Boolean);
  }
  const has = (kind, text) => {
    const n = norm(text);
    return (compiled[kind] || []).some((r) => r.test(n));
  };
  const roleOf = (text) => {
    if (!text || text.length > 80) return null;
    for (const role of (args.phrases && args.phrases.role_order) || []) if (has(role, text)) return role;
    return null;
  };
  const visible = (el) => {
    if (!el || !el.getBoundingClientRect) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || s.visibility === "collapse" || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/[^\w-]/g, "\\$&"));
  const selectorOf = (el) => {
    if (!el || el.nodeType !== 1) return null;
    const parts = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e.id && document.querySelectorAll("#" + cssEscape(e.id)).length === 1) {
        parts.unshift("#" + cssEscape(e.id));
        break;
      }
      const tag = e.tagName.toLowerCase();
      if (tag === "html" || tag === "body") { parts.unshift(tag); break; }
      let index = 1;
      for (let s = e.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === e.tagName) index++;
      parts.unshift(`${tag}:nth-of-type(${index})`);
    }
    return parts.join(" > ");
  };
  const textOf = (el) => ((el.innerText || el.textContent || "").replace(/\s+/g, " ").trim()).slice(0, MAX_TEXT);
  const buttonText = (el) => {
    let t = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
    if (!t && el.value && el.tagName === "INPUT") t = el.value;
    if (!t) t = el.getAttribute("aria-label") || el.getAttribute("title") || "";
    return t.trim().slice(0, 200);
  };
  const queryAll = (selectors, root) => {
    const out = [];
    for (const sel of selectors || []) {
      try { (root || document).querySelectorAll(sel).forEach((e) => { if (!out.includes(e)) out.push(e); }); } catch (e) { /* bad selector */ }
    }
    return out;
  };
  const BUTTONS = "button, a[href], a[role=button], [role=button], input[type=button], input[type=submit], [onclick]";
  const REAL_BUTTONS = "button, a[href], [role=button]";
  const isFixedish = (el) => {
    for (let e = el; e && e.nodeType === 1 && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.position === "fixed" || s.position === "sticky") return true;
      const role = e.getAttribute("role");
      if (role === "dialog" || role === "alertdialog" || e.getAttribute("aria-modal") === "true" || e.tagName === "DIALOG") return true;
    }
    return false;
  };
  const describeButtons = (container, roleSelectors, hintSelectors) => {
    // Curated platform selectors name a button's role outright; autoconsent's rule steps only when the
    // button's words name none.
    const marked = new Map();
    for (const [role, sels] of Object.entries(roleSelectors || {})) {
      for (const el of queryAll(sels)) if (!marked.has(el)) marked.set(el, role);
    }
    const hinted = new Map();
    for (const [role, sels] of Object.entries(hintSelectors || {})) {
      for (const el of queryAll(sels)) if (!hinted.has(el)) hinted.set(el, role);
    }
    const seen = new Set();
    const out = [];
    const candidates = [...container.querySelectorAll(BUTTONS)];
    for (const el of [...marked.keys(), ...hinted.keys()]) if (container.contains(el) && !candidates.includes(el)) candidates.push(el);
    for (const el of candidates) {
      if (seen.has(el) || !visible(el)) continue;
      // A button inside another button-like element is the same button.
      const outer = el.parentElement && el.parentElement.closest(REAL_BUTTONS);
      if (outer && container.contains(outer) && candidates.includes(outer)) continue;
      seen.add(el);
      const text = buttonText(el);
      if (text.length > 80 && !marked.has(el)) continue; // a clickable block of text, not a button
      const role = marked.get(el) || roleOf(text) || hinted.get(el);
      if (el.tagName === "A" && !role) continue; // an ordinary link (privacy notice)
      const r = el.getBoundingClientRect();
      out.push({ text, selector: selectorOf(el), width: Math.round(r.width), height: Math.round(r.height),
                 role: role || "other", tag: el.tagName.toLowerCase() });
    }
    return out;
  };
  const labelOf = (el) => {
    let t = "";
    if (el.labels && el.labels.length) t = [...el.labels].map(textOf).join(" ");
    if (!t) t = el.getAttribute("aria-label") || "";
    const by = el.getAttribute("aria-labelledby");
    if (!t && by) t = by.split(/\s+/).map((id) => { const n = document.getElementById(id); return n ? textOf(n) : ""; }).join(" ");
    if (!t) {
      const wrap = el.closest("label");
      if (wrap) t = textOf(wrap);
    }
    return t.slice(0, 300);
  };
  const nearbyText = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const t = textOf(e);
      if (t.length >= 3) return t.slice(0, 300);
    }
    return "";
  };
  const describeToggles = (containers) => {
    const out = [];
    const seen = new Set();
    for (const c of containers) {
      for (const el of c.querySelectorAll("input[type=checkbox], input[type=radio], [role=switch], [role=checkbox]")) {
        if (seen.has(el)) continue;
        seen.add(el);
        const attributes = {};
        for (const a of el.attributes) {
          if (a.name === "class" || a.name.startsWith("data-") || a.name.startsWith("aria-")) attributes[a.name] = a.value.slice(0, 100);
        }
        const disabled = el.disabled || el.getAttribute("aria-disabled") === "true";
        if (disabled) attributes.disabled = "true";
        const ariaChecked = el.getAttribute("aria-checked");
        out.push({
          tag: el.tagName.toLowerCase(), type: el.getAttribute("type"), name: el.getAttribute("name"), id: el.id || null,
          value: el.getAttribute("value"), label: labelOf(el), nearby_text: nearbyText(el),
          checked: el.tagName === "INPUT" ? !!el.checked : (ariaChecked === null ? null : ariaChecked === "true"),
          checked_attribute: el.tagName === "INPUT" ? el.hasAttribute("checked") : null,
          role: el.getAttribute("role"), aria_checked: ariaChecked, required: !!el.required,
          visible: visible(el) || (el.labels && [...el.labels].some(visible)) || false,
          selector: selectorOf(el), attributes,
        });
      }
    }
    return out;
  };

  if (args.op === "visible") {
    return queryAll(args.selectors).some(visible);
  }
  if (args.op === "find") {
    // A home-made banner: a visible fixed, sticky or dialog element that speaks of cookies or consent
    // and offers at least one button. The outermost such element is the banner.
    const candidates = [];
    for (const el of document.body ? document.body.querySelectorAll("*") : []) {
      if (candidates.some((c) => c.contains(el))) continue;
      const s = getComputedStyle(el);
      const role = el.getAttribute("role");
      const marker = s.position === "fixed" || s.position === "sticky" || role === "dialog" || role === "alertdialog" ||
        el.getAttribute("aria-modal") === "true" || el.tagName === "DIALOG" ||
        /cookie|consent|samtykke|gdpr/i.test((el.id || "") + " " + (typeof el.className === "string" ? el.className : ""));
      if (!marker || !visible(el)) continue;
      const text = textOf(el);
      if (!text || text.length > MAX_TEXT || !has("banner_words", text)) continue;
      if (!describeButtons(el, {}).length && !has("implied_consent", text)) continue;
      candidates.push(el);
    }
    // Prefer the one whose buttons name a choice; then the fixed one; then the first.
    const scored = candidates.map((el) => {
      const buttons = describeButtons(el, {});
      const roles = new Set(buttons.map((b) => b.role));
      return { el, score: (roles.has("accept") ? 2 : 0) + (roles.has("reject") ? 2 : 0) + (roles.has("settings") ? 1 : 0) + (isFixedish(el) ? 1 : 0) };
    }).sort((a, b) => b.score - a.score);
    if (!scored.length) return null;
    return { selector: selectorOf(scored[0].el), score: scored[0].score };
  }
  if (args.op === "describe") {
    const containers = queryAll(args.containers).filter(visible);
    const container = containers[0];
    if (!container) return null;
    const r = container.getBoundingClientRect();
    return {
      selector: selectorOf(container), text: textOf(container), buttons: describeButtons(container, args.roles, args.hints),
      width: Math.round(r.width), height: Math.round(r.height),
    };
  }
  if (args.op === "toggles") {
    return describeToggles(queryAll(args.containers));
  }
  return null;
}
