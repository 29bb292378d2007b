// The projector screen /j/CODE/screen/: join details, the prompt and its timer, the live
// values cloud, the statements with their votes, the principles ranked with their roots,
// and the consent distribution while a round is open. Read-only: it sends no commands.
import {
  LiveClient, ServerClock, cloudScale, el, readConfig, renderConsentBar, renderLoop, renderStatus,
  syncKeyed,
} from "./live.js";
import {
  applyEvent, consentCounts, createModel, currentPhase, formatDuration, openConsentRounds,
  principleSources, rankedPrinciples, resultsHidden, runningTimerPhase, statementGroups,
  statementRoot, timerRemaining, valueGroupIndex, valueGroups,
} from "./state.js";

const CLOUD_LIMIT = 60; // the most-mentioned groups that fit a projector
const STATEMENT_LIMIT = 12;
const $ = (id) => document.getElementById(id);

const config = readConfig();
const dom = {
  title: $("screen-title"), phase: $("screen-phase"), prompt: $("screen-prompt"),
  cloud: $("screen-cloud"), empty: $("screen-empty"), statements: $("screen-statements"),
  online: $("screen-online"), onlineLabel: $("screen-online-label"), status: $("conn-status"),
  joinUrl: $("screen-join-url"), main: $("main"), timer: $("screen-timer"),
  resultsHidden: $("screen-results-hidden"), principles: $("screen-principles"),
  consent: $("screen-consent"), consentTitle: $("screen-consent-title"),
  consentBar: $("screen-consent-bar"), consentCount: $("screen-consent-count"),
  consentReasons: $("screen-consent-reasons"),
};
const clock = new ServerClock();
const PRINCIPLE_LIMIT = 8;

// Easier to read from the back of the room without the scheme: example.org/j/ABC234
try {
  const url = new URL(config.join_url);
  dom.joinUrl.textContent = (url.host + url.pathname).replace(/\/$/, "");
} catch {
  // keep the full URL the template rendered
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

function renderOnline(online) {
  dom.online.textContent = online == null ? "–" : String(online);
  dom.onlineLabel.textContent = ngettext("online", "online", online || 0);
}

function render() {
  if (!model) return;
  const phase = currentPhase(model);
  const kind = phase ? phase.kind : "none";
  dom.main.dataset.phase = kind;
  dom.title.textContent = model.workshop.title || "";
  dom.phase.textContent = phase ? phase.title : gettext("Between activities");
  dom.prompt.textContent = phase && phase.prompt
    ? phase.prompt
    : phase ? phase.title : gettext("The next activity starts soon.");

  const groups = valueGroups(model);
  const shown = groups.length > CLOUD_LIMIT
    ? [...groups].sort((a, b) => b.count - a.count || a.firstId - b.firstId)
      .slice(0, CLOUD_LIMIT).sort((a, b) => a.firstId - b.firstId)
    : groups;
  const max = shown.reduce((m, g) => Math.max(m, g.count), 1);
  // Fewer words, bigger words: the back row must read them.
  dom.cloud.dataset.density = shown.length <= 12 ? "low" : shown.length <= 30 ? "medium" : "high";
  syncKeyed(dom.cloud, shown, (g) => g.key,
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
    });

  const voting = kind === "statements" && phase.vote_budget > 0;
  const hidden = resultsHidden(model, "statement");
  const byVotes = voting && !hidden && statementGroups(model).some((g) => g.votes > 0);
  const statements = statementGroups(model)
    .sort((a, b) => (byVotes ? (b.votes || 0) - (a.votes || 0) : 0) || b.firstId - a.firstId)
    .slice(0, STATEMENT_LIMIT);
  dom.statements.setAttribute("aria-label", byVotes
    ? gettext("Statements, most votes first") : gettext("Statements, newest first"));
  syncKeyed(dom.statements, statements, (g) => g.key,
    () => el("li", { className: "screen-statement", dataset: { testid: "screen-statement" } },
      el("span", { className: "screen-statement__text" }),
      el("span", { className: "screen-statement__meta" },
        el("span", { className: "screen-statement__count" }),
        el("span", { className: "screen-statement__votes" }))),
    (node, group) => {
      node.querySelector(".screen-statement__text").textContent = group.text;
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

  fitStatements();

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
  fitCards(dom.principles); // after the consent panel took its room
  tick();
  renderOnline(model.online);
}

// Show only the statements that fit whole: a card cut in half reads badly from afar.
function fitStatements() {
  fitCards(dom.statements);
}

function fitCards(box) {
  for (const item of box.children) item.classList.remove("is-clipped");
  const limit = box.clientHeight;
  for (const item of box.children) {
    if (item.offsetTop + item.offsetHeight > limit + 1) item.classList.add("is-clipped");
  }
}

function renderPrinciples(kind) {
  const roots = valueGroupIndex(model);
  const show = kind === "principles";
  const hidden = resultsHidden(model, "principle");
  const principles = show ? (hidden ? [...model.principles.values()].sort(
    (a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id) : rankedPrinciples(model))
    .slice(0, PRINCIPLE_LIMIT) : [];
  syncKeyed(dom.principles, principles, (p) => p.id,
    () => el("li", { className: "screen-principle", dataset: { testid: "screen-principle" } },
      el("div", { className: "screen-principle__head" },
        el("span", { className: "screen-principle__rank" }),
        el("span", { className: "screen-principle__title" }),
        el("span", { className: "screen-principle__status", text: gettext("Agreed") }),
        el("span", { className: "screen-principle__votes" })),
      el("ul", { className: "screen-principle__roots" })),
    (node, principle) => {
      node.classList.toggle("is-final", principle.status === "final");
      node.querySelector(".screen-principle__status").hidden = principle.status !== "final";
      node.querySelector(".screen-principle__rank").textContent = String(principles.indexOf(principle) + 1);
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

function renderConsent() {
  const principle = openConsentRounds(model)[0] || null;
  dom.consent.hidden = !principle;
  dom.main.dataset.consent = principle ? "open" : "";
  if (!principle) return;
  dom.consentTitle.textContent = principle.title;
  const tally = consentCounts(principle.consent);
  renderConsentBar(dom.consentBar, tally);
  dom.consentCount.textContent = interpolate(
    ngettext("%(n)s response", "%(n)s responses", tally.total), { n: tally.total }, true);
  const reasons = (principle.consent.reasons || []).slice(-4).map((text, i) => ({ text, i }));
  syncKeyed(dom.consentReasons, reasons, (r) => `${r.i}:${r.text}`, () => el("li"),
    (li, r) => { li.textContent = r.text; });
}

function tick() {
  if (!model) return;
  const left = timerRemaining(runningTimerPhase(model), clock.now());
  dom.timer.hidden = left === null;
  if (left === null) return;
  dom.timer.textContent = left > 0 ? formatDuration(left) : gettext("Time is up");
  dom.timer.classList.toggle("is-up", left === 0);
  dom.timer.classList.toggle("is-near", left > 0 && left <= 60000);
}
setInterval(tick, 1000);

window.addEventListener("resize", () => schedule());
