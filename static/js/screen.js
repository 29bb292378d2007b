// The projector screen /j/CODE/screen/: join details, the prompt and its timer, the live
// values cloud, the statements with their votes, the principles ranked with their roots,
// the consent distribution while a round is open (and its result once closed), and the
// outcome once the facilitator ends the session. Read-only: it sends no commands.
//
// Nothing is hidden silently: the cloud shrinks its largest words, then all of them, before
// any word goes, and then says how many are not shown; lists too long for the screen page
// through by themselves and say which part of the whole is on show ("7–12 of 40").
import { LiveClient, ServerClock, readConfig } from "./live.js";
import {
  cloudScale, consentLabels, el, renderConsentBar, renderLoop, renderStatus, syncKeyed,
} from "./dom.js";
import { fitWall, renderWall } from "./ideas.js";
import { agreedLabel, renderOutcome } from "./outcome.js";
import { RoomMessage } from "./message.js";
import {
  applyEvent, consentCounts, consentOnShow, consentReasons, createModel, currentPhase, formatDuration,
  principleNumbers, principleSources, promptParts, rankedPrinciples, resultsHidden,
  runningTimerPhase, statementGroups, statementRoot, timerRemaining, valueGroupIndex, valueGroups,
  principleList, currentTables, groupTableNames, topByTable,
} from "./state.js";

const PAGE_MS = 10_000; // how long one page of a long list stays up: time to read it aloud
const CONSENT_REASONS = 4; // the newest reasons fit beside the distribution; the rest are counted
const MIN_CLOUD_PX = 14; // the smallest word still read from the back of a room
const MATERIALS_SHOWN = 3; // links the ending shows, in a row with their QR codes; the rest are counted
const $ = (id) => document.getElementById(id);

const config = readConfig();
const dom = {
  tables: $("screen-tables"), tablesTop: $("screen-tables-top"), tablesTopList: $("screen-tables-top-list"),
  title: $("screen-title"), phase: $("screen-phase"), prompt: $("screen-prompt"),
  cloud: $("screen-cloud"), cloudMore: $("screen-cloud-more"), empty: $("screen-empty"),
  statements: $("screen-statements"), statementsMore: $("screen-statements-more"),
  online: $("screen-online"), onlineLabel: $("screen-online-label"), status: $("conn-status"),
  joinUrl: $("screen-join-url"), joinLabel: $("screen-join-label"), main: $("main"),
  timer: $("screen-timer"), resultsHidden: $("screen-results-hidden"),
  principles: $("screen-principles"), principlesMore: $("screen-principles-more"),
  consent: $("screen-consent"), consentEyebrow: $("screen-consent-eyebrow"),
  consentTitle: $("screen-consent-title"), consentBar: $("screen-consent-bar"),
  consentCount: $("screen-consent-count"), consentResult: $("screen-consent-result"),
  consentReasons: $("screen-consent-reasons"), consentMore: $("screen-consent-more"),
  stage: $("screen-stage"), outcome: $("screen-outcome"), reportUrl: $("screen-report-url"),
  ideas: $("screen-ideas"),
  materials: $("screen-materials"), materialsList: $("screen-materials-list"),
  materialsMore: $("screen-materials-more"),
};
// The facilitator's message, up until it is cleared: a screen does not dismiss it.
const roomMessage = new RoomMessage({
  root: $("screen-message"), box: $("screen-message-box"), text: $("screen-message-text"),
  code: config.code,
});
const clock = new ServerClock();
// Where each paged list starts now; a page turn moves it past what was on show.
const pagers = {
  statements: { start: 0, shown: 0, total: 0 },
  principles: { start: 0, shown: 0, total: 0 },
  outcome: { start: 0, shown: 0, total: 0 },
};

// Easier to read from the back of the room without the scheme: example.org/j/ABC234
function shortUrl(href) {
  try {
    const url = new URL(href, window.location.href);
    return (url.host + url.pathname).replace(/\/$/, "");
  } catch {
    return href;
  }
}
dom.joinUrl.textContent = shortUrl(config.join_url);

// A link given to the room, as people type it from the screen: no scheme, but all of
// its query (a video's ?v=…), which the join link never has.
function linkText(href) {
  try {
    const url = new URL(href);
    return shortUrl(href) + url.search + url.hash;
  } catch {
    return href;
  }
}

let model = null;
const schedule = renderLoop(render);

const client = new LiveClient({
  config,
  resume: false, // a screen is no participant: it has no token to keep
  // A viewer: recognised by the facilitator's login, or by the secret link it was opened with.
  hello: { role: "viewer", key: new URLSearchParams(window.location.search).get("key") },
  onWelcome(welcome, { fresh }) {
    if (fresh || !model) {
      const online = model ? model.online : null;
      model = createModel(welcome);
      model.online = online;
    }
    schedule();
  },
  onEvent(event) {
    clock.observe(event.at);
    if (model) applyEvent(model, event);
  },
  onEventsDone: () => schedule(),
  onPresence(online) {
    if (model) model.online = online;
    renderOnline(online);
  },
  onStatus: (status) => renderStatus(dom.status, status),
  onHelloError(error) {
    dom.prompt.textContent = error.message;
  },
});
client.start(null);

/** While tables are formed, the room reads how it is split: each table and its size;
 * when the facilitator asks, each table's top items side by side, over the rest. */
function renderTables() {
  const tops = model.workshop.tables_top ? topByTable(model) : [];
  dom.tablesTop.hidden = tops.length === 0;
  dom.stage.classList.toggle("is-tables-top", tops.length > 0);
  syncKeyed(dom.tablesTopList, tops, (row) => row.table.id, () => el("li", { dataset: { testid: "screen-table-top" } },
    el("h3"), el("ol")), (node, row) => {
    node.querySelector("h3").textContent = row.table.name;
    node.querySelector("ol").replaceChildren(...row.items.map((item) => el("li", {}, item.text,
      item.votes ? el("span", { className: "screen-tables-top__votes",
        text: interpolate(ngettext("%(n)s vote", "%(n)s votes", item.votes), { n: item.votes }, true) }) : null)));
  });
  const tables = currentTables(model);
  dom.tables.hidden = tables.length === 0;
  dom.tables.textContent = tables.map((table) => interpolate(
    ngettext("%(table)s: %(n)s person", "%(table)s: %(n)s people", table.members.length),
    { table: table.name, n: table.members.length }, true)).join(" · ");
}

function renderOnline(online) {
  dom.online.textContent = online == null ? "–" : String(online);
  dom.onlineLabel.textContent = ngettext("online", "online", online || 0);
}

/** The prompt, with a template's slots, "(ACTIVITY)", drawn as blanks to fill in. */
function renderPrompt(text) {
  dom.prompt.replaceChildren(...promptParts(text).map((part) => (part.slot
    ? el("span", { className: "screen-slot", text: part.slot.toLocaleLowerCase() })
    : document.createTextNode(part.text))));
}

function render() {
  if (!model) return;
  const ended = model.workshop.ended || null;
  const phase = ended ? null : currentPhase(model);
  const kind = ended ? "ended" : phase ? phase.kind : "none";
  dom.main.dataset.phase = kind;
  dom.title.textContent = model.workshop.title || "";
  dom.phase.textContent = ended ? gettext("The session has ended")
    : phase ? phase.title : gettext("Between activities");
  renderPrompt(ended ? gettext("Thank you for taking part!")
    : phase && phase.prompt ? phase.prompt
      : phase ? phase.title : gettext("The next activity starts soon."));
  renderJoin(ended);
  roomMessage.render(model.workshop.message);
  dom.stage.hidden = Boolean(ended);
  dom.outcome.hidden = !ended;
  renderMaterials(ended);
  if (ended) {
    renderOutcome(dom.outcome, model, { prefix: "screen" });
    fitPage($("screen-outcome-principles"), $("screen-outcome-principles-more"), pagers.outcome, true);
    tick();
    renderOnline(model.online);
    return;
  }

  renderTables();
  const groups = valueGroups(model);
  const hidden = resultsHidden(model, "statement");
  // Once votes are cast (and shown), the most-voted lead, in any phase.
  const byVotes = !hidden && statementGroups(model).some((g) => g.votes > 0);
  const voting = kind === "statements" && phase.vote_budget > 0;
  const statements = statementGroups(model)
    .sort((a, b) => (byVotes ? (b.votes || 0) - (a.votes || 0) : 0) || b.firstId - a.firstId);
  dom.statements.setAttribute("aria-label", byVotes
    ? gettext("Statements, most votes first") : gettext("Statements, newest first"));
  syncKeyed(dom.statements, statements, (g) => g.key,
    () => el("li", { className: "screen-statement", dataset: { testid: "screen-statement" } },
      el("span", { className: "screen-statement__text" }),
      el("span", { className: "screen-statement__meta" },
        el("span", { className: "table-label", dataset: { testid: "table-label" } }),
        el("span", { className: "screen-statement__count" }),
        el("span", { className: "screen-statement__votes" }))),
    (node, group) => {
      node.querySelector(".screen-statement__text").textContent = group.text;
      const label = node.querySelector(".table-label");
      label.textContent = groupTableNames(model, group.ids).join(" · ");
      label.hidden = !label.textContent;
      const count = node.querySelector(".screen-statement__count");
      count.textContent = `×${group.count}`;
      count.hidden = group.count < 2;
      const votes = node.querySelector(".screen-statement__votes");
      votes.textContent = interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes || 0),
        { n: group.votes || 0 }, true);
      votes.hidden = hidden || group.votes == null || (!voting && !group.votes);
    });
  dom.resultsHidden.hidden = !(hidden && (kind === "statements" || kind === "principles"));
  if (kind === "principles") {
    dom.resultsHidden.hidden = !resultsHidden(model, "principle");
  }

  let empty = "";
  if (kind === "values" && groups.length === 0) {
    empty = gettext("Values appear here as people add them.");
  } else if (kind === "statements" && statements.length === 0) {
    empty = gettext("Statements appear here as people write them.");
  } else if (kind === "none" && groups.length === 0 && statements.length === 0) {
    empty = gettext("Scan the code to join.");
  }
  dom.empty.textContent = empty;
  dom.empty.hidden = !empty;
  renderPrinciples(kind);
  renderConsent();
  renderIdeas(phase);
  // Measured last, once every panel has taken its room. An indicator that appears takes
  // a line from its neighbours, so measure again until none comes or goes.
  const indicators = [dom.cloudMore, dom.statementsMore, dom.principlesMore];
  for (let pass = 0; pass < 3; pass += 1) {
    const before = indicators.map((node) => node.hidden).join();
    fitPage(dom.statements, dom.statementsMore, pagers.statements, statements.length > 0
      && getComputedStyle(dom.statements).display !== "none");
    fitPage(dom.principles, dom.principlesMore, pagers.principles, !dom.principles.hidden);
    fitCloud(groups);
    if (indicators.map((node) => node.hidden).join() === before) break;
  }
  tick();
  renderOnline(model.online);
}

/** An ideas phase fills the stage with its wall: columns side by side, answers under
 * their card. */
function renderIdeas(phase) {
  const shown = Boolean(phase && phase.kind === "ideas");
  dom.ideas.hidden = !shown;
  if (!shown) return;
  renderWall(dom.ideas, model, phase, null, { newestFirst: true });
  if (!dom.empty.textContent && ![...model.ideas.values()].some((idea) => idea.phase === phase.key
    && !idea.hidden && !idea.pending)) {
    dom.empty.textContent = gettext("Ideas appear here as people add them.");
    dom.empty.hidden = false;
  }
  fitWall(dom.ideas);
}

/** The ending lists the links given to the room (the slides, the recording): each one's
 * title, its address to type and its QR code to scan, as the join link has. */
function renderMaterials(ended) {
  const all = ended ? model.materials : [];
  const materials = all.slice(0, MATERIALS_SHOWN);
  dom.materials.hidden = all.length === 0;
  const more = all.length - materials.length;
  dom.materialsMore.hidden = more === 0;
  dom.materialsMore.textContent = interpolate(ngettext("%(n)s more link on every phone",
    "%(n)s more links on every phone", more), { n: more }, true);
  syncKeyed(dom.materialsList, materials, (m) => String(m.id), (m) => el("li",
    { className: "screen-material", dataset: { testid: "screen-material" } },
    el("img", { className: "screen-material__qr", alt: "", width: 112, height: 112,
      src: `/j/${encodeURIComponent(config.code)}/materials/${m.id}/qr.svg` }),
    el("div", { className: "screen-material__text" },
      el("p", { className: "screen-material__title" }),
      el("p", { className: "screen-material__url" }))), (node, m) => {
    node.querySelector(".screen-material__title").textContent = m.title;
    node.querySelector(".screen-material__url").textContent = linkText(m.url);
    node.querySelector("img").alt = interpolate(gettext("QR code of the link %(title)s"), { title: m.title }, true);
  });
}

function renderJoin(ended) {
  // After the end the same code leads to the outcome on each phone, with the report link.
  dom.joinLabel.textContent = ended ? gettext("The outcome on your phone") : gettext("Join on your phone");
  const report = ended && ended.report;
  dom.reportUrl.hidden = !report;
  if (report) dom.reportUrl.querySelector(".join-box__report-link").textContent = shortUrl(report);
}

// ------------------------------------------------------------------ the cloud

function cloudFits() {
  const box = dom.cloud.getBoundingClientRect();
  for (const item of dom.cloud.children) {
    if (item.hidden) continue;
    const r = item.getBoundingClientRect();
    if (r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5
      || r.left < box.left - 0.5 || r.right > box.right + 0.5) return false;
  }
  return true;
}

/**
 * Every value fits, or the cloud says how many it leaves out. In order: the largest words
 * shrink towards the others, then every word shrinks down to a size still read from afar,
 * and only then do the least-named words go (counted in "+N more").
 */
function fitCloud(groups) {
  const max = groups.reduce((m, g) => Math.max(m, g.count), 1);
  dom.cloud.dataset.density = groups.length <= 12 ? "low" : groups.length <= 30 ? "medium" : "high";
  syncKeyed(dom.cloud, groups, (g) => g.key,
    () => el("li", { className: "cloud__item", dataset: { testid: "screen-value" } },
      el("span", { className: "cloud__text" }), el("span", { className: "cloud__count" })),
    (node, group) => {
      node.firstChild.textContent = group.text;
      node.lastChild.textContent = group.count > 1 ? String(group.count) : "";
      node.lastChild.hidden = group.count < 2;
      node.style.setProperty("--scale", cloudScale(group.count, max).toFixed(3));
      node.setAttribute("aria-label", group.count > 1
        ? interpolate(ngettext("%(text)s (%(n)s person)", "%(text)s (%(n)s people)", group.count),
          { text: group.text, n: group.count }, true)
        : group.text);
      node.hidden = false;
    });
  const style = dom.cloud.style;
  style.removeProperty("--cap");
  style.removeProperty("--fit");
  dom.cloudMore.hidden = true;
  const visible = getComputedStyle(dom.cloud).display !== "none" && groups.length > 0;
  dom.cloud.dataset.shown = dom.cloud.dataset.total = String(visible ? groups.length : 0);
  if (!visible || cloudFits()) return;

  const topScale = cloudScale(max, max);
  for (let cap = topScale - 0.2; cap > 1; cap -= 0.2) {
    style.setProperty("--cap", cap.toFixed(2));
    if (cloudFits()) return;
  }
  style.setProperty("--cap", "1");
  const base = parseFloat(getComputedStyle(dom.cloud.firstElementChild).fontSize) || 16;
  const floor = Math.min(1, MIN_CLOUD_PX / base);
  for (let fit = 0.9; fit >= floor - 0.001; fit -= 0.1) {
    style.setProperty("--fit", Math.max(fit, floor).toFixed(2));
    if (cloudFits()) return;
  }
  style.setProperty("--fit", floor.toFixed(2));

  // Still too many: the most-named stay, in their places; the line below counts the rest.
  const ranked = [...groups].sort((a, b) => b.count - a.count || a.firstId - b.firstId);
  const rank = new Map(ranked.map((g, i) => [g.key, i]));
  const items = [...dom.cloud.children];
  const showTop = (k) => {
    for (const item of items) item.hidden = rank.get(item.dataset.key) >= k;
  };
  dom.cloudMore.hidden = false;
  let low = 0;
  let high = groups.length;
  while (low < high) { // the largest k whose words all fit
    const k = Math.ceil((low + high) / 2);
    setCloudMore(k, groups.length);
    showTop(k);
    if (cloudFits()) low = k;
    else high = k - 1;
  }
  setCloudMore(low, groups.length);
  showTop(low);
}

function setCloudMore(shown, total) {
  dom.cloud.dataset.shown = String(shown);
  dom.cloudMore.dataset.shown = String(shown);
  dom.cloudMore.dataset.total = String(total);
  dom.cloudMore.textContent = interpolate(
    ngettext("The %(shown)s most named of %(total)s value · +%(more)s more",
      "The %(shown)s most named of %(total)s values · +%(more)s more", total),
    { shown, total, more: total - shown }, true);
}

// ------------------------------------------------------------------ paged lists

function itemFits(box, item) {
  return item.offsetTop + item.offsetHeight <= box.clientHeight + 1;
}

/**
 * Show the page of `box`'s items that starts at `pager.start`: the items that fit whole
 * (a card cut in half reads badly from afar). When they are not all on show, `more` says
 * which of them are ("7–12 of 40") and the page turns by itself every PAGE_MS.
 */
function fitPage(box, more, pager, visible) {
  const items = [...box.children];
  pager.total = items.length;
  if (!visible || items.length === 0) {
    more.hidden = true;
    pager.start = 0;
    pager.shown = 0;
    return;
  }
  if (pager.start >= items.length) pager.start = 0;
  const layout = () => {
    items.forEach((item, i) => { item.hidden = i < pager.start; });
    // One layout for all: an item's place depends only on the ones before it.
    let end = pager.start + 1; // at least one card a page, so that paging always moves on
    while (end < items.length && itemFits(box, items[end])) end += 1;
    for (const item of items.slice(end)) item.hidden = true;
    return end - pager.start;
  };
  more.hidden = true;
  let shown = pager.start === 0 ? layout() : 0;
  if (pager.start > 0 || shown < items.length) {
    more.hidden = false; // the indicator takes its line first, then the page is measured
    setMore(more, pager.start + 1, pager.start + 1, items.length);
    shown = layout();
    setMore(more, pager.start + 1, pager.start + shown, items.length);
  }
  pager.shown = shown;
}

function setMore(more, first, last, total) {
  more.dataset.shown = String(last - first + 1);
  more.dataset.total = String(total);
  more.textContent = first === last
    ? interpolate(gettext("%(first)s of %(total)s"), { first, total }, true)
    : interpolate(gettext("%(first)s–%(last)s of %(total)s"), { first, last, total }, true);
}

function turnPages() {
  let turned = false;
  for (const pager of Object.values(pagers)) {
    if (pager.total > pager.shown && pager.shown > 0) {
      pager.start += pager.shown;
      if (pager.start >= pager.total) pager.start = 0;
      turned = true;
    }
  }
  if (turned) schedule();
}
setInterval(turnPages, PAGE_MS);

// ------------------------------------------------------------------ principles and consent

function renderPrinciples(kind) {
  const roots = valueGroupIndex(model);
  const show = kind === "principles";
  const hidden = resultsHidden(model, "principle");
  // Numbered as on the phones (the agreed order), whatever order the votes put them in.
  const numbers = principleNumbers(model);
  const principles = show ? (hidden ? principleList(model) : rankedPrinciples(model)) : [];
  syncKeyed(dom.principles, principles, (p) => p.id,
    () => el("li", { className: "screen-principle", dataset: { testid: "screen-principle" } },
      el("div", { className: "screen-principle__head" },
        el("span", { className: "screen-principle__rank" }),
        el("span", { className: "screen-principle__title" }),
        el("span", { className: "screen-principle__status" }),
        el("span", { className: "screen-principle__votes" })),
      el("ul", { className: "screen-principle__roots" })),
    (node, principle) => {
      node.classList.toggle("is-final", principle.status === "final");
      const status = node.querySelector(".screen-principle__status");
      status.hidden = principle.status !== "final";
      status.textContent = agreedLabel(principle);
      node.querySelector(".screen-principle__rank").textContent = String(numbers.get(principle.id));
      node.querySelector(".screen-principle__title").textContent = principle.title;
      const votes = node.querySelector(".screen-principle__votes");
      votes.hidden = hidden || principle.votes == null;
      votes.textContent = interpolate(ngettext("%(n)s vote", "%(n)s votes", principle.votes || 0),
        { n: principle.votes || 0 }, true);
      syncKeyed(node.querySelector(".screen-principle__roots"), principleSources(model, principle), (s) => s.id,
        () => el("li", { className: "screen-root", dataset: { testid: "screen-root" } },
          el("span", { className: "screen-root__text" }), el("span", { className: "screen-root__value" })),
        (li, statement) => {
          li.querySelector(".screen-root__text").textContent = statement.text;
          li.querySelector(".screen-root__value").textContent = statementRoot(model, statement, roots).text;
        });
    });
  dom.principles.hidden = !show;
  if (show && principles.length === 0 && !dom.empty.textContent) {
    dom.empty.textContent = gettext("Principles appear here as people draft them.");
    dom.empty.hidden = false;
  }
}

/** The open round, or the one just closed, kept up until the facilitator moves on. */
function renderConsent() {
  const principle = consentOnShow(model);
  dom.consent.hidden = !principle;
  dom.main.dataset.consent = principle ? principle.consent.status : "";
  if (!principle) return;
  const closed = principle.consent.status !== "open";
  dom.consentEyebrow.textContent = closed ? gettext("Consent round closed") : gettext("Consent round");
  dom.consentTitle.textContent = principle.title;
  const tally = consentCounts(principle.consent);
  renderConsentBar(dom.consentBar, tally);
  dom.consentCount.textContent = interpolate(
    ngettext("%(n)s response", "%(n)s responses", tally.total), { n: tally.total }, true);
  dom.consentResult.hidden = !closed && principle.status !== "final";
  dom.consentResult.textContent = principle.status === "final" ? agreedLabel(principle)
    : tally.counts.cannot > 0
      ? interpolate(ngettext("%(n)s objection", "%(n)s objections", tally.counts.cannot),
        { n: tally.counts.cannot }, true)
      : gettext("No objection");
  dom.consentResult.dataset.result = principle.status === "final" ? "agreed"
    : tally.counts.cannot > 0 ? "objection" : "clear";
  // Reasons only when the facilitator puts them up; then every level's, never a name.
  const all = principle.consent.reasons_shown ? consentReasons(principle.consent) : [];
  const labels = consentLabels();
  const reasons = all.slice(-CONSENT_REASONS).map((r, i) => ({ ...r, i }));
  dom.consentReasons.hidden = reasons.length === 0;
  syncKeyed(dom.consentReasons, reasons, (r) => `${r.i}:${r.level}:${r.reason}`,
    () => el("li", { className: "screen-consent__reason" },
      el("span", { className: "screen-consent__reason-level" }), el("span", { className: "screen-consent__reason-text" })),
    (li, r) => {
      li.dataset.level = r.level;
      li.querySelector(".screen-consent__reason-level").textContent = interpolate(
        gettext("%(level)s:"), { level: labels[r.level] || r.level }, true);
      li.querySelector(".screen-consent__reason-text").textContent = r.reason;
    });
  dom.consentMore.hidden = all.length <= CONSENT_REASONS;
  dom.consentMore.textContent = interpolate(
    ngettext("The newest %(shown)s of %(total)s reason", "The newest %(shown)s of %(total)s reasons",
      all.length), { shown: reasons.length, total: all.length }, true);
}

function tick() {
  if (!model) return;
  const left = model.workshop.ended ? null : timerRemaining(runningTimerPhase(model), clock.now());
  dom.timer.hidden = left === null;
  if (left === null) return;
  dom.timer.textContent = left > 0 ? formatDuration(left) : gettext("Time is up");
  dom.timer.classList.toggle("is-up", left === 0);
  dom.timer.classList.toggle("is-near", left > 0 && left <= 60000);
}
setInterval(tick, 1000);

window.addEventListener("resize", () => schedule());
// An item arrives once: paging and fitting show and hide items, which would replay it.
dom.main.addEventListener("animationend", (event) => event.target.classList.remove("is-new"));
