// Find the controls the bounded interaction may click, mark each with data-ps-interact="<n>" and describe
// them. Called as `(maxCandidates) => [...]` by crawl/interaction.py. Reads only; clicks nothing.
//
// Kinds, in the order they are tried:
//   disclosure: buttons with aria-expanded="false", closed <details>, and "vis mer" / "les mer" / "show more"
//               / "mehr anzeigen" controls;
//   tab:        role=tab with aria-selected="false";
//   js_link:    link-like elements without a real href (onclick, role=link, <a> without href or with a
//               javascript: href, data-href/data-url, cursor:pointer on a non-interactive element).
// Never offered: anything inside a form that could submit it, inside a consent banner, a dialog or a fixed
// layer (banners and overlays float), real
// links, fields, and any control whose words say consent, purchase, payment, delete, logout, submit or
// sign-up (FORBIDDEN below; the Python side applies the same list to the recorded text again).
(maxCandidates) => {
  const FORBIDDEN = new RegExp(
    "\\b(godta|aksepter|accept|agree|allow|tillat|samtykk|consent|avvis|reject|decline|deny|cookie|informasjonskaps|" +
    "personvernvalg|innstilling|setting|preference|einstellung|zustimm|ablehn|" +
    "kjøp|kjøpe|betal|buy|purchase|pay|checkout|kasse|handlekurv|cart|basket|bestill|order|legg i|add to|kaufen|bezahl|warenkorb|" +
    "slett|delete|remove|fjern|avslutt|cancel|löschen|entfern|kündig|" +
    "logg ut|logg av|log out|logout|sign out|abmelden|" +
    "send|submit|abonner|subscribe|meld deg|meld meg|sign up|registrer|register|lagre|save|upload|last opp|donat|doner|gi gave)",
    "i");
  const DISCLOSURE_WORDS = new RegExp(
    "^\\s*(\\+\\s*)?(vis|se|les|show|read|see|view|load|visa|läs|læs|lees|mehr|weiter)\\s*" +
    "(mer|mere|meir|flere|fleire|more|mehr|alle|all|anzeigen|lesen|lezen)\\b|^\\s*(mehr anzeigen|weiterlesen|" +
    "expand|utvid|fold ut|open|åpne|read more|learn more)\\s*$",
    "i");
  const BLOCKING_ANCESTOR = "[id*=cookie i],[class*=cookie i],[id*=consent i],[class*=consent i],[id*=samtykke i]," +
    "[class*=samtykke i],[id*=gdpr i],[class*=gdpr i],[id*=didomi i],[id*=usercentrics i],[id*=onetrust i]," +
    "[class*=optanon i],[id*=cybot i],[id*=qc-cmp i],[id*=sp_message i],[id*=truste i],[class*=iubenda i]," +
    "[class*=klaro i],[class*=osano i],[id*=cmp i],[class*=cmp- i],[role=dialog],[role=alertdialog],[aria-modal=true],dialog";
  // Consent banners and overlays float above the page: a control in a fixed layer is never clicked.
  const inFixedLayer = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).position === "fixed") return true;
    }
    return false;
  };
  const text = (el) => (el.innerText || el.textContent || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim();
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = getComputedStyle(el);
    return s.visibility !== "hidden" && s.display !== "none" && Number(s.opacity) > 0.05;
  };
  const canSubmit = (el) => {
    const form = el.closest("form");
    if (!form) return false;
    const tag = el.tagName.toLowerCase();
    // A <button> in a form submits unless it says type="button"; other elements only by script.
    return (tag === "button" && (el.getAttribute("type") || "submit").toLowerCase() !== "button") ||
      (tag === "input" && ["submit", "image"].includes((el.type || "").toLowerCase()));
  };
  const realHref = (el) => {
    const href = el.getAttribute("href");
    return href !== null && !/^\s*(javascript:|#\s*$)/i.test(href);
  };
  const seen = new Set();
  const offered = [];
  const out = [];
  const offer = (el, kind) => {
    if (out.length >= maxCandidates || seen.has(el)) return;
    seen.add(el);
    if (offered.some((o) => o.contains(el) || el.contains(o))) return;  // one click per control
    const words = text(el).slice(0, 120);
    if (!words || words.length > 80 || FORBIDDEN.test(words) || FORBIDDEN.test(el.getAttribute("aria-label") || "")) return;
    if (el.closest(BLOCKING_ANCESTOR) || canSubmit(el) || !visible(el) || inFixedLayer(el)) return;
    if (el.closest("a[href]") && realHref(el.closest("a[href]"))) return;
    if (el.matches("input,select,textarea,option,label") || el.isContentEditable) return;
    const n = String(out.length);
    el.setAttribute("data-ps-interact", n);
    offered.push(el);
    out.push({index: n, kind, text: words, selector: `[data-ps-interact="${n}"]`,
              expanded: el.getAttribute("aria-expanded")});
  };
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  for (const el of all('[aria-expanded="false"]')) offer(el, "disclosure");
  for (const el of all("details:not([open]) > summary")) offer(el, "disclosure");
  let looked = 0;
  for (const el of all("button, [role=button], a:not([href]), a[href^='javascript:' i], span, div, p, li")) {
    if (++looked > 3000) break;
    const raw = el.textContent || "";  // cheap (no layout) before innerText
    if (el.children.length > 3 || !raw.trim() || raw.length > 60) continue;
    // The innermost element with the words: a wrapper's click would not reach its child's handler.
    if (Array.from(el.children).some((c) => DISCLOSURE_WORDS.test(text(c)))) continue;
    if (DISCLOSURE_WORDS.test(text(el))) offer(el, "disclosure");
  }
  for (const el of all('[role=tab][aria-selected="false"]')) offer(el, "tab");
  const linkLike = all("[onclick]:not(button):not(input), [role=link]:not([href]), a:not([href]), " +
                       "a[href^='javascript:' i], [data-href], [data-url], [data-link]");
  let scanned = 0;
  for (const el of all("body div, body span, body li, body td, body p, body h2, body h3, body h4, body img")) {
    if (++scanned > 1500) break;
    if (getComputedStyle(el).cursor !== "pointer") continue;
    const parent = el.parentElement;
    if (parent && getComputedStyle(parent).cursor === "pointer") continue;  // inherited: offer the outermost
    if (el.querySelector("a[href], button, input, select, textarea, [role=button], [role=tab]")) continue;
    linkLike.push(el);
  }
  for (const el of linkLike) {
    if (el.matches("button, [role=button], [role=tab], [aria-expanded]")) continue;
    offer(el, "js_link");
  }
  return out;
}
