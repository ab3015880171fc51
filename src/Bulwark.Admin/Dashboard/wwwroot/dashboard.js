// Bulwark dashboard: polling, admin token handling and the unblock action.
"use strict";
(function (B) {
  const POLL_MS = 2000, TIMEOUT_MS = 8000, TOKEN_KEY = "bulwark.adminToken";
  const state = { data: null, timer: null, inFlight: false, failures: 0, failingSince: null, lastOk: null };
  const $ = id => document.getElementById(id);

  const token = () => { try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch { return ""; } };
  const authHeaders = () => token() ? { Authorization: "Bearer " + token() } : {};

  function showAuth(rejected) {
    $("auth").hidden = false;
    $("auth-msg").textContent = rejected
      ? "The token was rejected. Enter this node's admin API token."
      : "This node's admin API needs its token.";
    setStatus("auth", "token needed");
  }

  function setStatus(kind, text) {
    const el = $("conn-status");
    el.className = "status status-" + kind;
    el.textContent = text;
  }

  function showLost(reason) {
    state.failures++;
    if (state.failingSince === null) state.failingSince = Date.now();
    $("lost-banner").hidden = false;
    $("lost-detail").textContent = reason + " — since " + B.clock(state.failingSince) + ", " + state.failures +
      " failed poll(s)." + (state.data ? " Showing the last data received at " + B.clock(state.lastOk) + "." : "");
    setStatus("bad", "connection lost");
    document.body.classList.add("stale");
  }

  // Each section renders on its own so a malformed field breaks one panel, not the page.
  function safely(id, fn) {
    try { fn(); } catch (e) {
      console.error("render " + id, e);
      B.fill(id, B.h("div", { class: "alert alert-bad" }, "Could not render this section: " + e.message));
    }
  }

  function render(d) {
    const gen = B.parseTime(d.generatedAt);
    const now = gen === null ? Date.now() : gen;
    const colors = B.verdictColors(d.verdicts);
    safely("header", () => B.renderHeader(d));
    safely("summary", () => B.renderSummary(d, now));
    safely("verdict-chart", () => {
      B.renderChart($("verdict-chart"), d.verdicts || {}, colors);
      B.renderLegend($("verdict-legend"), d.verdicts || {}, colors);
      const bucket = d.verdicts && d.verdicts.bucketSeconds;
      $("bucket-size").textContent = bucket ? "count per " + bucket + " s bucket" : "";
    });
    safely("verdict-totals", () => B.renderTotals(d, colors));
    safely("members", () => B.renderMembers(d, now));
    safely("shards", () => B.renderShards(d));
    safely("node-health", () => B.renderHealth(d));
    safely("sessions", () => B.renderSessions(d, now));
    safely("blocks", () => B.renderBlocks(d, now, unblock));
  }

  async function poll() {
    clearTimeout(state.timer);
    if (state.inFlight) return;
    state.inFlight = true;
    const ctrl = new AbortController();
    const timeout = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    try {
      const res = await fetch("/api/dashboard", { cache: "no-store", headers: authHeaders(), signal: ctrl.signal });
      if (res.status === 401) { showAuth(!!token()); return; }
      if (!res.ok) { showLost("HTTP " + res.status + " " + res.statusText); return; }
      const d = await res.json();
      state.data = d; state.lastOk = Date.now(); state.failures = 0; state.failingSince = null;
      $("lost-banner").hidden = true;
      $("auth").hidden = true;
      document.body.classList.remove("stale");
      render(d);
      $("last-updated").textContent = B.clock(state.lastOk);
      setStatus("ok", "live");
    } catch (e) {
      showLost(e.name === "AbortError" ? "No answer within " + TIMEOUT_MS / 1000 + " s" : "Request failed (" + e.message + ")");
    } finally {
      clearTimeout(timeout);
      state.inFlight = false;
      state.timer = setTimeout(poll, POLL_MS);
    }
  }

  async function unblock(ip) {
    const msg = $("blocks-status");
    if (!window.confirm("Unblock " + ip + " across the farm?")) return;
    msg.className = "action-msg"; msg.textContent = "Unblocking " + ip + "…";
    try {
      const res = await fetch("/admin/blocks/" + encodeURIComponent(ip), { method: "DELETE", headers: authHeaders(), cache: "no-store" });
      if (res.status === 401) showAuth(!!token());
      if (!res.ok) {
        const body = (await res.text().catch(() => "")).trim();
        throw new Error("HTTP " + res.status + (body ? ": " + body.slice(0, 500) : res.statusText ? " " + res.statusText : ""));
      }
      msg.className = "action-msg action-ok"; msg.textContent = "Unblocked " + ip + ".";
    } catch (e) {
      msg.className = "action-msg action-error"; msg.textContent = "Unblock " + ip + " failed: " + e.message;
    }
    poll();
  }

  function init() {
    $("auth-form").addEventListener("submit", ev => {
      ev.preventDefault();
      const value = $("token-input").value.trim();
      try { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); } catch { /* private mode */ }
      $("token-input").value = "";
      $("auth").hidden = true;
      poll();
    });
    $("token-button").addEventListener("click", () => { $("auth").hidden = !$("auth").hidden; $("token-input").focus(); });
    $("token-forget").addEventListener("click", () => {
      try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* private mode */ }
      $("auth").hidden = true;
      poll();
    });
    let resize = null;
    window.addEventListener("resize", () => {
      clearTimeout(resize);
      resize = setTimeout(() => state.data && render(state.data), 150);
    });
    poll();
  }

  B.dashboard = { poll, state };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})(window.Bulwark);
