// Bulwark dashboard: per-node sections (live sessions, health cards) and the
// blocked-IP list. A node that did not answer shows its error in place.
"use strict";
(function (B) {
  const h = B.h;
  const MAX_SESSION_ROWS = 50;
  const SCANNER = { closed: ["healthy", "ok"], open: ["open", "bad"], "half-open": ["half-open", "warn"] };

  const nodeTitle = node => h("div", { class: "node-title" },
    h("strong", null, B.dash(node.hostname || B.shortAddr(node.address))),
    h("span", { class: "mono muted" }, B.dash(node.address)));
  const nodeError = node => h("div", { class: "alert alert-bad" }, "Node did not answer: ", String(node.error));

  B.renderSessions = function (d, now) {
    const blocks = (d.nodes || []).map(node => {
      if (node.error) return h("div", { class: "node-block", "data-node": node.address }, nodeTitle(node), nodeError(node));
      const sessions = (node.sessions || []).slice()
        .sort((a, b) => (B.parseTime(a.openedAt) || 0) - (B.parseTime(b.openedAt) || 0));
      const count = Math.max(Number(node.sessionCount) || 0, sessions.length);
      const shown = sessions.slice(0, MAX_SESSION_ROWS);
      const rows = shown.map(s => h("tr", { "data-session": s.id },
        h("td", { class: "mono" }, B.dash(s.id)),
        h("td", { class: "mono" }, B.dash(s.clientIp)),
        h("td", null, h("span", { class: B.phaseClass(s.phase) }, B.dash(s.phase))),
        h("td", { class: "num", title: s.openedAt || "" }, B.duration(B.secondsBetween(s.openedAt, now))),
        h("td", { class: "mono ellipsis", title: s.helo || "" }, B.dash(s.helo)),
        h("td", { class: "mono ellipsis", title: s.sender || "" }, s.sender === "" ? "<>" : B.dash(s.sender)),
        h("td", { class: "num" }, B.num(s.recipients))));
      if (count > shown.length) rows.push(h("tr", { class: "more-row" },
        h("td", { colspan: 7 }, "+" + (count - shown.length) + " more")));
      return h("div", { class: "node-block", "data-node": node.address },
        h("div", { class: "node-head" }, nodeTitle(node),
          h("span", { class: "count-pill", "data-testid": "session-count" }, String(count))),
        count ? h("div", { class: "scroll" }, B.table(["Session", "Client IP", "Phase",
          { text: "Age", cls: "num" }, "HELO", "MAIL FROM", { text: "Rcpts", cls: "num" }], rows))
          : B.empty("No live sessions."));
    });
    B.fill("sessions", blocks.length ? blocks : B.empty("No node reported."));
  };

  const kv = (label, value, kind, testid) => h("div", { class: "kv" + (kind ? " kv-" + kind : ""), "data-testid": testid },
    h("span", { class: "kv-label" }, label), h("span", { class: "kv-value" }, value));

  function scannerRow(sc) {
    const [text, kind] = sc.configured === false ? ["not configured", "neutral"]
      : SCANNER[sc.state] || [B.dash(sc.state), "neutral"];
    return h("li", { class: "scanner", "data-scanner": sc.name },
      h("span", { class: "dot dot-" + kind }), h("span", { class: "scanner-name" }, B.dash(sc.name)),
      B.badge(text, kind),
      sc.failures ? h("span", { class: "muted" }, sc.failures + " failure(s)") : null,
      sc.lastError ? h("div", { class: "scanner-error", title: sc.lastError }, sc.lastError) : null);
  }

  function healthCard(node) {
    if (node.error) return h("div", { class: "card card-bad", "data-node": node.address }, nodeTitle(node), nodeError(node));
    const sp = node.spool || {}, dns = node.dnsCache || {}, q = node.quarantine || {}, c = node.connections || {};
    const a = node.authentication || {};
    const ratio = typeof dns.hitRatio === "number" ? dns.hitRatio : null;
    const scanners = node.scanners || [];
    const worst = scanners.some(s => s.configured !== false && s.state === "open") || sp.deadLetters > 0 ? "bad"
      : scanners.some(s => s.configured !== false && s.state === "half-open") ? "warn" : "ok";
    return h("div", { class: "card card-" + worst, "data-node": node.address }, nodeTitle(node),
      h("div", { class: "card-section" }, h("h3", { title: "accepted, and refused before the greeting because the IP is blocked or the node is busy" }, "Connections"),
        h("div", { class: "kv-grid" },
          kv("accepted", B.num(c.accepted), null, "conn-accepted"),
          kv("blocked", B.num(c.refusedBlocked), c.refusedBlocked ? "warn" : null, "conn-blocked"),
          kv("busy", B.num(c.refusedBusy), c.refusedBusy ? "warn" : null, "conn-busy"))),
      h("div", { class: "card-section" }, h("h3", null, "Spool"),
        h("div", { class: "kv-grid" },
          kv("depth", B.num(sp.depth), null, "spool-depth"),
          kv("in flight", B.num(sp.inFlight), null, "spool-inflight"),
          kv("oldest", B.duration(sp.oldestAgeSeconds), sp.oldestAgeSeconds > 900 ? "warn" : null, "spool-oldest"),
          kv("dead letters", B.num(sp.deadLetters), sp.deadLetters > 0 ? "bad" : null, "spool-dead"))),
      h("div", { class: "card-section" }, h("h3", null, "DNS cache"),
        h("div", { class: "meter", title: "hit ratio" },
          h("span", { class: "meter-fill", style: { width: ((ratio || 0) * 100).toFixed(1) + "%" } })),
        h("div", { class: "kv-grid" },
          kv("hit ratio", B.percent(ratio), ratio !== null && ratio < 0.5 ? "warn" : null, "dns-ratio"),
          kv("hits", B.num(dns.hits), null, "dns-hits"), kv("misses", B.num(dns.misses), null, "dns-misses"),
          kv("entries", B.num(dns.entries), null, "dns-entries"))),
      h("div", { class: "card-section" }, h("h3", null, "Scanners"),
        scanners.length ? h("ul", { class: "scanners" }, scanners.map(scannerRow)) : B.empty("No scanners reported.")),
      h("div", { class: "card-section" }, h("h3", null, "Quarantine"),
        h("div", { class: "kv-grid" }, kv("messages", B.num(q.messages), null, "quarantine-messages"),
          kv("size", B.bytes(q.bytes), null, "quarantine-bytes"))),
      h("div", { class: "card-section" }, h("h3", { title: "end of DATA, since the node started: DKIM per signature, DMARC and ARC per message" }, "Authentication"),
        h("div", { class: "kv-grid" },
          kv("dkim pass", B.num(a.dkimPass), null, "dkim-pass"), kv("dkim fail", B.num(a.dkimFail), null, "dkim-fail"),
          kv("dmarc pass", B.num(a.dmarcPass), null, "dmarc-pass"), kv("dmarc fail", B.num(a.dmarcFail), a.dmarcFail ? "warn" : null, "dmarc-fail"),
          kv("dmarc rejected", B.num(a.dmarcRejected), null, "dmarc-rejected"),
          kv("dmarc quarantined", B.num(a.dmarcQuarantined), null, "dmarc-quarantined"),
          kv("dmarc deferred", B.num(a.dmarcDeferred), a.dmarcDeferred ? "warn" : null, "dmarc-deferred"),
          kv("arc override", B.num(a.dmarcArcOverride), null, "dmarc-arc-override"),
          kv("arc pass", B.num(a.arcPass), null, "arc-pass"))));
  }

  B.renderHealth = function (d) {
    const cards = (d.nodes || []).map(healthCard);
    B.fill("node-health", cards.length ? cards : B.empty("No node reported."));
  };

  B.renderBlocks = function (d, now, onUnblock) {
    const blocks = (d.blocks || []).slice()
      .sort((a, b) => (B.parseTime(a.until) || Infinity) - (B.parseTime(b.until) || Infinity));
    const rows = blocks.map(b => {
      const until = B.parseTime(b.until);
      const left = until === null || now === null ? null : (until - now) / 1000;
      return h("tr", { "data-ip": b.ip },
        h("td", null, h("div", { class: "mono strong" }, B.dash(b.ip)),
          h("div", { class: "reason", title: b.reason || "" }, B.dash(b.reason))),
        h("td", { class: "num", title: b.until || "" }, left === null ? "—" : left <= 0 ? "expired" : "in " + B.duration(left)),
        h("td", { class: "actions" }, h("button", { type: "button", class: "btn btn-danger btn-small",
          "data-action": "unblock", onclick: () => onUnblock(b.ip) }, "Unblock")));
    });
    B.fill("blocks", B.table(["IP / reason", { text: "Expires", cls: "num" }, ""],
      rows.length ? rows : B.empty("No IP is blocked.", 3)));
  };
})(window.Bulwark);
