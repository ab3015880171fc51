// Bulwark dashboard: element building and formatting helpers.
// Every piece of data reaches the page through textContent / setAttribute,
// never innerHTML, so an IP reason or HELO name cannot inject markup.
"use strict";
window.Bulwark = window.Bulwark || {};
(function (B) {
  const SVG_NS = "http://www.w3.org/2000/svg";

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(c => append(node, c)); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function setAttrs(node, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.setAttribute("class", v);
      // CSSOM instead of a style attribute: allowed under a strict style-src CSP.
      else if (k === "style" && typeof v === "object") Object.assign(node.style, v);
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
  }

  // h("td", {class: "num"}, 42) -> <td class="num">42</td>
  B.h = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  };

  B.s = function (tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  };

  B.fill = function (id, ...children) {
    const node = document.getElementById(id);
    if (!node) return null;
    node.replaceChildren();
    append(node, children);
    return node;
  };

  B.badge = (text, kind) => B.h("span", { class: "badge badge-" + (kind || "neutral") }, text);
  B.empty = (text, colspan) => colspan
    ? B.h("tr", { class: "empty-row" }, B.h("td", { colspan }, text))
    : B.h("p", { class: "empty" }, text);

  B.table = function (headers, rows, attrs) {
    const head = B.h("tr", null, headers.map(hd =>
      typeof hd === "string" ? B.h("th", null, hd) : B.h("th", { class: hd.cls }, hd.text)));
    return B.h("table", Object.assign({ class: "grid" }, attrs || {}),
      B.h("thead", null, head), B.h("tbody", null, rows));
  };

  const n = v => (typeof v === "number" && isFinite(v)) ? v : null;
  B.num = v => n(v) === null ? "—" : String(v);
  B.dash = v => (v === null || v === undefined || v === "") ? "—" : String(v);

  B.parseTime = function (iso) {
    if (!iso) return null;
    const t = Date.parse(iso);
    return isNaN(t) ? null : t;
  };

  // "4m 05s" style; negative durations read as zero (clock skew between nodes).
  B.duration = function (seconds) {
    if (n(seconds) === null) return "—";
    let s = Math.max(0, Math.floor(seconds));
    if (s < 60) return s + "s";
    const d = Math.floor(s / 86400); s -= d * 86400;
    const hr = Math.floor(s / 3600); s -= hr * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) return d + "d " + hr + "h";
    if (hr > 0) return hr + "h " + String(m).padStart(2, "0") + "m";
    return m + "m " + String(s).padStart(2, "0") + "s";
  };

  // Ages are measured against the server's generatedAt, not the browser clock,
  // so a skewed operator laptop still shows true session ages and expiries.
  B.secondsBetween = function (fromIso, toMs) {
    const from = B.parseTime(fromIso);
    return from === null || toMs === null ? null : (toMs - from) / 1000;
  };

  B.clock = function (ms) {
    if (ms === null || ms === undefined) return "—";
    return new Date(ms).toLocaleTimeString([], { hour12: false });
  };

  B.bytes = function (b) {
    if (n(b) === null) return "—";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let v = b, i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + " " + units[i];
  };

  B.percent = v => n(v) === null ? "—" : (v * 100).toFixed(1) + "%";

  // "akka.tcp://bulwark@127.0.0.1:4053" -> "127.0.0.1:4053" for compact cells.
  B.shortAddr = function (addr) {
    if (!addr) return "—";
    const at = addr.lastIndexOf("@");
    return at >= 0 ? addr.slice(at + 1) : addr;
  };

  B.verdictLabel = v => [v.phase, v.code, v.enhanced]
    .filter(x => x !== null && x !== undefined && x !== "").join(" ");

  B.PHASES = ["connect", "helo", "mail", "rcpt", "data", "data-end", "other"];
  B.phaseClass = p => "phase phase-" + (B.PHASES.includes(p) ? p : "other");
})(window.Bulwark);
