// Bulwark dashboard: the verdicts-over-time chart, a stacked-area SVG drawn
// by hand so the page needs no library and works offline.
"use strict";
(function (B) {
  // Shades per reply class: the class is what an operator reads first
  // (2xx accepted, 4xx deferred, 5xx refused); the shade tells series apart.
  const PALETTE = {
    "2": ["#2f9e44", "#8ccf7e", "#1b6e2d", "#b8e0a8", "#51b86a"],
    "4": ["#e8a200", "#f5c84c", "#b97800", "#fbe08f", "#d98c1a"],
    "5": ["#c92a2a", "#f08c8c", "#e64980", "#a61e4d", "#ff6b6b", "#862e2e", "#f4a6b8", "#e03131"],
    "x": ["#868e96", "#adb5bd", "#495057"]
  };
  const CLASS_ORDER = ["2", "4", "5", "x"];
  const classOf = v => { const c = String(v.code || "")[0]; return PALETTE[c] ? c : "x"; };

  // Colours are assigned from a label-sorted list so a series keeps its colour
  // from one poll to the next even when the ranking by count changes.
  B.verdictColors = function (verdicts) {
    const all = [].concat((verdicts && verdicts.series) || [], (verdicts && verdicts.totals) || []);
    const byClass = {};
    for (const v of all) {
      const c = classOf(v), label = B.verdictLabel(v);
      (byClass[c] = byClass[c] || new Set()).add(label);
    }
    const colors = new Map();
    for (const c of CLASS_ORDER) {
      [...(byClass[c] || [])].sort().forEach((label, i) => colors.set(label, PALETTE[c][i % PALETTE[c].length]));
    }
    return colors;
  };

  // A 1-2-5 step keeps every y tick an integer-looking, readable count.
  function yScale(max) {
    const raw = Math.max(1, max) / 4;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(k => k * mag).find(v => v >= raw);
    return { step, top: Math.max(step, Math.ceil(max / step) * step) };
  }

  function stackOrder(series) {
    return series.slice().sort((a, b) =>
      CLASS_ORDER.indexOf(classOf(a)) - CLASS_ORDER.indexOf(classOf(b)) ||
      B.verdictLabel(a).localeCompare(B.verdictLabel(b)));
  }

  B.renderChart = function (container, verdicts, colors) {
    container.replaceChildren();
    const series = stackOrder(((verdicts && verdicts.series) || []).filter(s => Array.isArray(s.points)));
    const n = Math.max(0, ...series.map(s => s.points.length));
    if (!series.length || n === 0) { container.appendChild(B.empty("No verdicts in this window.")); return; }

    const W = Math.max(320, container.clientWidth || 800), H = 260;
    const m = { l: 44, r: 12, t: 12, b: 28 };
    const pw = W - m.l - m.r, ph = H - m.t - m.b;
    const stacks = [], base = new Array(n).fill(0);
    for (const s of series) {
      const lo = base.slice();
      for (let i = 0; i < n; i++) base[i] += Math.max(0, Number(s.points[i]) || 0);
      stacks.push({ s, lo, hi: base.slice() });
    }
    const { step: yStep, top: yMax } = yScale(Math.max(...base));
    const step = n > 1 ? pw / (n - 1) : pw;
    const x = i => m.l + (n > 1 ? i * step : pw / 2);
    const y = v => m.t + ph - (v / yMax) * ph;
    const svg = B.s("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": "Verdicts per " + (verdicts.bucketSeconds || "?") + " s bucket" });

    for (let v = 0; v <= yMax + 1e-9; v += yStep) {
      const yy = y(v).toFixed(1);
      svg.appendChild(B.s("line", { x1: m.l, x2: W - m.r, y1: yy, y2: yy, class: v ? "gridline" : "axis" }));
      svg.appendChild(B.s("text", { x: m.l - 6, y: yy, dy: "0.32em", "text-anchor": "end", class: "tick" },
        Number.isInteger(v) ? String(v) : v.toFixed(1)));
    }

    for (const { s, lo, hi } of stacks) {
      const top = hi.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      const bottom = lo.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse();
      const color = colors.get(B.verdictLabel(s)) || "#868e96";
      svg.appendChild(B.s("polygon", { points: top.concat(bottom).join(" "), fill: color, class: "area",
        "data-series": B.verdictLabel(s) }, B.s("title", null, B.verdictLabel(s))));
      svg.appendChild(B.s("polyline", { points: top.join(" "), stroke: color, class: "area-line" }));
    }

    const start = B.parseTime(verdicts.start), bucket = Number(verdicts.bucketSeconds) || 0;
    const timeAt = i => start === null ? null : start + i * bucket * 1000;
    const fmt = ms => ms === null ? "" : new Date(ms).toLocaleTimeString([], {
      hour12: false, hour: "2-digit", minute: "2-digit", second: bucket >= 60 ? undefined : "2-digit" });
    const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(pw / 90))));
    for (let i = 0; i < n; i += every) {
      svg.appendChild(B.s("line", { x1: x(i), x2: x(i), y1: m.t + ph, y2: m.t + ph + 4, class: "axis" }));
      svg.appendChild(B.s("text", { x: x(i), y: H - 8, "text-anchor": i === 0 ? "start" : "middle", class: "tick" }, fmt(timeAt(i))));
    }

    // One invisible column per bucket carries a native tooltip with the values.
    for (let i = 0; i < n; i++) {
      const lines = stacks.filter(st => Number(st.s.points[i]) > 0).reverse()
        .map(st => `${B.verdictLabel(st.s)}: ${st.s.points[i]}`);
      const x0 = n > 1 ? Math.max(m.l, x(i) - step / 2) : m.l;
      const x1 = n > 1 ? Math.min(W - m.r, x(i) + step / 2) : W - m.r;
      svg.appendChild(B.s("rect", { x: x0, y: m.t, width: Math.max(1, x1 - x0), height: ph, class: "hover-col" },
        B.s("title", null, [fmt(timeAt(i)) + "  total " + base[i]].concat(lines).join("\n"))));
    }
    container.appendChild(svg);
  };

  B.renderLegend = function (container, verdicts, colors) {
    container.replaceChildren();
    for (const s of stackOrder((verdicts && verdicts.series) || []).reverse()) {
      const label = B.verdictLabel(s);
      container.appendChild(B.h("span", { class: "legend-item" },
        B.h("span", { class: "swatch", style: { background: (colors.get(label) || "#868e96") } }), label));
    }
  };
})(window.Bulwark);
