// Bulwark dashboard: cluster-wide sections (header, summary tiles, members,
// shards, verdict totals).
"use strict";
(function (B) {
  const h = B.h;
  const STATUS_KIND = { Up: "ok", WeaklyUp: "warn", Joining: "info", Leaving: "warn",
    Exiting: "warn", Down: "bad", Removed: "bad" };

  B.renderHeader = function (d) {
    B.fill("self-addr", B.dash(d.self));
    B.fill("leader-addr", B.dash(d.leader));
    const gen = B.parseTime(d.generatedAt);
    B.fill("generated-at", gen === null ? "—" : B.clock(gen));
  };

  B.renderSummary = function (d, now) {
    const members = d.members || [], nodes = d.nodes || [];
    const up = members.filter(m => m.status === "Up" && m.reachable !== false).length;
    const sessions = nodes.reduce((a, x) => a + (Number(x.sessionCount) || 0), 0);
    const totals = (d.verdicts && d.verdicts.totals) || [];
    const all = totals.reduce((a, t) => a + (Number(t.count) || 0), 0);
    const refused = totals.filter(t => /^[45]/.test(String(t.code || ""))).reduce((a, t) => a + (Number(t.count) || 0), 0);
    const failing = nodes.filter(x => x.error).length;
    const span = d.verdicts && d.verdicts.series && d.verdicts.series[0] && d.verdicts.series[0].points
      ? d.verdicts.series[0].points.length * (Number(d.verdicts.bucketSeconds) || 0) : null;
    const tile = (id, label, value, kind, sub) => h("div", { class: "tile tile-" + (kind || "neutral"), "data-testid": id },
      h("div", { class: "tile-label" }, label), h("div", { class: "tile-value" }, value),
      h("div", { class: "tile-sub" }, sub || "\u00a0"));
    B.fill("summary",
      tile("sum-members", "Members up", up + " / " + members.length, up === members.length ? "ok" : "warn"),
      tile("sum-sessions", "Live sessions", String(sessions), "neutral", nodes.length + " node(s) reporting"),
      tile("sum-verdicts", "Verdicts", String(all), "neutral", span ? "last " + B.duration(span) : ""),
      tile("sum-refused", "Refused (4xx/5xx)", all ? (100 * refused / all).toFixed(1) + "%" : "—",
        refused / (all || 1) > 0.5 ? "warn" : "neutral", refused + " replies"),
      tile("sum-blocks", "Blocked IPs", String((d.blocks || []).length), (d.blocks || []).length ? "warn" : "neutral"),
      tile("sum-errors", "Nodes not answering", String(failing), failing ? "bad" : "ok"));
  };

  B.renderMembers = function (d, now) {
    const rows = (d.members || []).map(m => {
      const leader = m.leader === true || (!!d.leader && m.address === d.leader);
      const self = m.self === true || (!!d.self && m.address === d.self);
      const since = B.secondsBetween(m.upSince, now);
      return h("tr", { "data-address": m.address, class: m.reachable === false ? "row-bad" : null },
        h("td", { class: "mono" }, B.dash(m.address),
          self ? h("span", { class: "marker marker-self", title: "this node" }, "self") : null,
          leader ? h("span", { class: "marker marker-leader", title: "cluster leader" }, "leader") : null),
        h("td", null, (m.roles || []).map(r => h("span", { class: "chip" }, r))),
        h("td", null, B.badge(B.dash(m.status), STATUS_KIND[m.status] || "neutral")),
        h("td", null, m.reachable === false ? B.badge("unreachable", "bad")
          : m.reachable === true ? B.badge("yes", "ok") : "—"),
        h("td", { title: m.upSince || "" }, since === null ? "—" : B.duration(since) + " ago"),
        h("td", { class: "mono" }, B.dash(m.appVersion)));
    });
    B.fill("members", B.table(["Address", "Roles", "Status", "Reachable", "Up since", "Version"],
      rows.length ? rows : B.empty("No members known.", 6)));
  };

  B.renderShards = function (d) {
    const shards = d.shards || {}, errors = d.shardErrors || {};
    const types = [...new Set(Object.keys(shards).concat(Object.keys(errors)))];
    const nodes = [];
    for (const t of types) for (const r of shards[t] || []) if (r && !nodes.includes(r.node)) nodes.push(r.node);
    const cell = (t, node) => (shards[t] || []).find(r => r && r.node === node);
    const sum = (t, k) => (shards[t] || []).reduce((a, r) => a + (Number(r && r[k]) || 0), 0);
    const rows = nodes.map(node => h("tr", { "data-node": node },
      h("td", { class: "mono", title: node }, B.shortAddr(node)),
      types.map(t => { const c = cell(t, node);
        return h("td", { class: "num", "data-type": t }, c ? B.num(c.shards) + " / " + B.num(c.entities) : "—"); })));
    if (nodes.length) rows.push(h("tr", { class: "total-row" }, h("td", null, "Total"),
      types.map(t => h("td", { class: "num", "data-type": t }, sum(t, "shards") + " / " + sum(t, "entities")))));
    const head = [{ text: "Node" }].concat(types.map(t => ({ text: t, cls: "num" })));
    const errs = Object.entries(errors).filter(([, msg]) => msg).map(([t, msg]) =>
      h("div", { class: "alert alert-warn", "data-type": t }, h("strong", null, t + ": "), String(msg)));
    B.fill("shards", types.length ? B.table(head, rows.length ? rows : B.empty("No shard regions reported.", types.length + 1)) : B.empty("No entity types reported."),
      h("p", { class: "hint" }, "Cells show shards / entities hosted by each node."), errs);
  };

  B.renderTotals = function (d, colors) {
    const totals = ((d.verdicts && d.verdicts.totals) || []).slice()
      .sort((a, b) => (Number(b.count) || 0) - (Number(a.count) || 0));
    const grand = totals.reduce((a, t) => a + (Number(t.count) || 0), 0);
    const rows = totals.map(t => {
      const label = B.verdictLabel(t), share = grand ? (Number(t.count) || 0) / grand : 0;
      return h("tr", { "data-verdict": label },
        h("td", null, h("span", { class: "swatch", style: { background: (colors.get(label) || "#868e96") } }),
          h("span", { class: "mono" }, label)),
        h("td", { class: "num" }, B.num(t.count)),
        h("td", { class: "num share" }, h("span", { class: "bar", style: { width: (share * 100).toFixed(1) + "%" } }),
          h("span", { class: "bar-label" }, (share * 100).toFixed(1) + "%")));
    });
    B.fill("verdict-totals", B.table(["Phase code enhanced", { text: "Count", cls: "num" }, { text: "Share", cls: "num" }],
      rows.length ? rows : B.empty("No verdicts yet.", 3)));
  };
})(window.Bulwark);
