// The participant page /j/CODE/: join, then add values and statements, vote, draft
// principles and take part in consent rounds, live.
import { LiveClient, ServerClock, readConfig, readToken } from "./live.js";
import {
  Announcer, cloudScale, consentLabels, el, renderConsentBar, renderLoop, renderStatus, syncKeyed,
} from "./dom.js";
import { IdeaComposer } from "./ideas.js";
import { RoomMessage } from "./message.js";
import { renderOutcome } from "./outcome.js";
import { credentialClaim } from "./credentials.js";
import {
  activityChoices, applyEvent, consentCounts, counts, createModel, currentPhase, formatDuration, myItems,
  myVotedStatement, openConsentRounds, openPhaseOfKind, principleList, principleSources,
  refreshYou, resultsHidden, runningTimerPhase, statementBudget, statementGroups, statementRoot,
  templateParts, timerRemaining, valueGroupIndex, valueGroups, voteBudget,
  myTable, tableMembers, tableView, groupTableNames,
} from "./state.js";

const VALUE_MAX = 80;
const $ = (id) => document.getElementById(id);

const config = readConfig();
const dom = {
  joinPanel: $("join-panel"), joinForm: $("join-form"), joinName: $("join-name"),
  joinButton: $("join-button"),
  view: $("workshop-view"), status: $("conn-status"),
  phaseTitle: $("phase-title"), title: $("workshop-title"), prompt: $("phase-prompt"),
  youAre: $("you-are"), waiting: $("waiting-panel"),
  afterwardsNote: $("afterwards-note"), materialsPanel: $("materials-panel"),
  materialsList: $("materials-list"),
  valuesPanel: $("values-panel"), valueForm: $("value-form"), valueInput: $("value-input"),
  valueCounter: $("value-counter"), valueError: $("value-error"), valueSent: $("value-sent"),
  statementPanel: $("statement-panel"), statementForm: $("statement-form"),
  preview: $("statement-preview"), activityChips: $("activity-chips"),
  activityInput: $("statement-activity"), valueChips: $("value-chips"),
  statementValue: $("statement-value"), statementError: $("statement-error"),
  statementSent: $("statement-sent"),
  statementsSection: $("statements-section"), statementsList: $("statements-list"),
  statementsEmpty: $("statements-empty"), statementsTotal: $("statements-total"),
  budget: $("vote-budget"), voteError: $("vote-error"),
  principlesSection: $("principles-section"), principlesList: $("principles-list"),
  principlesEmpty: $("principles-empty"), principlesTotal: $("principles-total"),
  principleBudget: $("principle-budget"), principleVoteError: $("principle-vote-error"),
  principlesResultsHidden: $("principles-results-hidden"),
  principlePropose: $("principle-propose"), principleForm: $("principle-form"),
  principleTitle: $("principle-title"), principleBody: $("principle-body"),
  principleSources: $("principle-sources"), principleSourcesEmpty: $("principle-sources-empty"),
  principleError: $("principle-error"), principleSent: $("principle-sent"),
  consentPanel: $("consent-panel"), consentTitle: $("consent-title"), consentBody: $("consent-body"),
  consentReason: $("consent-reason"), consentReasonSend: $("consent-reason-send"),
  consentMine: $("consent-mine"), consentError: $("consent-error"),
  consentDistribution: $("consent-distribution"), consentCount: $("consent-count"),
  timer: $("phase-timer"), resultsHidden: $("results-hidden"),
  myValuesBox: $("my-values-box"), myValues: $("my-values"), myValuesError: $("my-values-error"),
  cloudPanel: $("cloud-panel"), cloud: $("values-cloud"), valuesList: $("values-list"),
  valuesEmpty: $("values-empty"), valuesTotal: $("values-total"),
  fatal: $("fatal-error"), announcer: $("announcer"), jump: $("jump-prompt"),
  tablePanel: $("table-panel"), tableName: $("table-name"), tableMembers: $("table-members"),
  tableScope: $("table-scope"), tableScopeHint: $("table-scope-hint"),
};
const roomMessage = new RoomMessage({
  root: $("room-message"), box: $("room-message-box"), text: $("room-message-text"),
  dismiss: $("room-message-dismiss"), focusAfter: dom.title, code: config.code,
});
// While tables are formed: false shows our table's work only, true the whole room's.
let wholeRoom = false;
dom.tableScope.addEventListener("click", () => {
  wholeRoom = !wholeRoom;
  schedule();
});

let model = null;
let connection = "connecting"; // the LiveClient's status
let phaseChanged = false;
const unsent = new Set(); // values typed while offline: {text}, shown under "Yours" until acked
let consentShown = null; // the principle id of the consent round on show
const chosenSources = new Set(); // statement ids ticked for a new principle
const clock = new ServerClock();
let focusOnWelcome = false;
const announcer = new Announcer(dom.announcer);
const schedule = renderLoop(render);

const client = new LiveClient({
  config,
  onWelcome(welcome, { fresh }) {
    if (fresh || !model) model = createModel(welcome);
    else refreshYou(model, welcome);
    showWorkshop();
    schedule();
    if (focusOnWelcome) {
      focusOnWelcome = false; // the Join button just disappeared: keep the keyboard's place
      dom.title.focus();
    }
  },
  onEvent(event) {
    if (!model) return;
    clock.observe(event.at);
    const change = applyEvent(model, event);
    if (change && change.added && !change.mine) announcer.count(change.kind, event.data.text || event.data.title);
    if (event.event === "phase.opened" || event.event === "phase.closed") phaseChanged = true;
  },
  onEventsDone() {
    if (phaseChanged) {
      phaseChanged = false;
      const phase = currentPhase(model);
      announcer.say(phase
        ? interpolate(gettext("Now: %(title)s. %(prompt)s"), { title: phase.title, prompt: phase.prompt }, true)
        : gettext("Waiting for the facilitator…"));
      bringToView(dom.title, phase
        ? interpolate(gettext("Now: %(title)s · show"), { title: phase.title }, true)
        : gettext("The activity has ended · show"));
    }
    schedule();
  },
  onPresence(online) {
    if (model) model.online = online;
  },
  onStatus(status) {
    renderStatus(dom.status, status);
    if (status.state !== connection) {
      connection = status.state;
      schedule(); // values waiting to send show under "Yours" while not connected
    }
  },
  onHelloError(error) {
    dom.fatal.textContent = error.message;
    dom.fatal.hidden = false;
    showWorkshop();
  },
});

// ---------------------------------------------------------------------------- bringing news to view

const JUMP_SHOWN_FOR = 12000; // ms
let jumpTarget = null;
let jumpTimer = null;

/**
 * Someone scrolled down to vote when the facilitator opened the next phase or a consent
 * round: offer a button that takes them there, rather than moving the page under their
 * thumb. Screen readers hear the news from the announcer.
 */
function bringToView(target, label) {
  requestAnimationFrame(() => { // after the render that shows the target
    const box = target.getBoundingClientRect();
    if (box.bottom > 0 && box.top < window.innerHeight) return; // already in sight
    jumpTarget = target;
    dom.jump.textContent = label;
    dom.jump.hidden = false;
    // An offer, not a wall: it leaves by itself once read (the announcer has said it).
    clearTimeout(jumpTimer);
    jumpTimer = setTimeout(hideJump, JUMP_SHOWN_FOR);
  });
}

function hideJump() {
  dom.jump.hidden = true;
  jumpTarget = null;
}

dom.jump.addEventListener("click", () => {
  const target = jumpTarget;
  hideJump();
  if (!target) return;
  const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
  target.focus({ preventScroll: true });
});
window.addEventListener("scroll", () => {
  if (!jumpTarget) return;
  const box = jumpTarget.getBoundingClientRect();
  if (box.bottom > 0 && box.top < window.innerHeight) hideJump();
}, { passive: true });

// ---------------------------------------------------------------------------- joining

function join(name) {
  dom.status.hidden = false;
  client.start(name || null);
}

function showWorkshop() {
  dom.joinPanel.hidden = true;
  dom.view.hidden = false;
}

if (readToken(config.code)) {
  // Returning on this device: resume without asking again.
  dom.joinPanel.hidden = true;
  join(null);
} else {
  dom.joinForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    dom.joinButton.disabled = true;
    dom.joinButton.textContent = gettext("Joining…");
    focusOnWelcome = true;
    join(dom.joinName.value.trim());
  });
}

// ---------------------------------------------------------------------------- values

function updateCounter() {
  const length = dom.valueInput.value.length;
  dom.valueCounter.textContent = `${length}/${VALUE_MAX}`;
  dom.valueCounter.classList.toggle("counter--near", length >= VALUE_MAX - 10);
}

dom.valueInput.addEventListener("input", () => {
  updateCounter();
  dom.valueError.textContent = "";
});

dom.valueForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const text = dom.valueInput.value.trim();
  dom.valueSent.textContent = "";
  if (!text) {
    dom.valueError.textContent = gettext("Please write a value first.");
    dom.valueInput.focus();
    return;
  }
  dom.valueError.textContent = "";
  dom.valueInput.value = "";
  updateCounter();
  dom.valueInput.focus();
  const waiting = { text };
  unsent.add(waiting);
  schedule();
  client.send("value.add", { text }).finally(() => {
    unsent.delete(waiting);
    schedule();
  }).then(
    () => flash(dom.valueSent, model && model.workshop.premoderated
      ? interpolate(gettext("Sent “%(text)s”: it shows once the facilitator approves it."), { text }, true)
      : interpolate(gettext("Added “%(text)s”."), { text }, true)),
    (error) => {
      dom.valueError.textContent = error.message;
      if (!dom.valueInput.value) {
        dom.valueInput.value = text;
        updateCounter();
      }
    },
  );
});

const flashTimers = new WeakMap();
function flash(node, text) {
  node.textContent = text;
  clearTimeout(flashTimers.get(node));
  flashTimers.set(node, setTimeout(() => { node.textContent = ""; }, 3000));
}

// ---------------------------------------------------------------------------- ideas

const ideas = new IdeaComposer({
  dom: {
    panel: $("ideas-panel"), form: $("idea-form"), input: $("idea-input"),
    counter: $("idea-counter"), buttons: $("idea-buttons"), answering: $("idea-answering"),
    answeringText: $("idea-answering-text"), cancel: $("idea-answer-cancel"),
    error: $("idea-error"), sent: $("idea-sent"), wall: $("idea-wall"), budget: $("idea-budget"),
  },
  client, schedule, flash,
});

// ---------------------------------------------------------------------------- statements

function normalise(text) {
  return text.trim().toLocaleLowerCase();
}

function chipClicked(input) {
  return (click) => {
    const chip = click.currentTarget;
    input.value = chip.dataset.text;
    dom.statementError.textContent = "";
    renderBuilder();
  };
}

for (const input of [dom.activityInput, dom.statementValue]) {
  input.addEventListener("input", () => {
    dom.statementError.textContent = "";
    renderBuilder();
  });
}

dom.statementForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const activity = dom.activityInput.value.trim();
  const value = dom.statementValue.value.trim();
  dom.statementSent.textContent = "";
  if (!activity || !value) {
    dom.statementError.textContent = !activity
      ? gettext("Pick or type an activity first.")
      : gettext("Pick or type a value first.");
    (activity ? dom.statementValue : dom.activityInput).focus();
    return;
  }
  dom.statementError.textContent = "";
  dom.activityInput.value = "";
  dom.statementValue.value = "";
  renderBuilder();
  client.send("statement.add", { activity, value }).then(
    () => flash(dom.statementSent, model && model.workshop.premoderated
      ? gettext("Statement sent: it shows once the facilitator approves it.")
      : gettext("Statement added.")),
    (error) => {
      dom.statementError.textContent = error.message;
      if (!dom.activityInput.value && !dom.statementValue.value) {
        dom.activityInput.value = activity;
        dom.statementValue.value = value;
        renderBuilder();
      }
    },
  );
});

function renderPreview() {
  const template = (model && model.workshop.statement_template)
    || gettext("What might {activity} look like as a practice of {value}?");
  const filled = {
    activity: dom.activityInput.value.trim(),
    value: dom.statementValue.value.trim(),
  };
  const placeholders = { activity: gettext("ACTIVITY"), value: gettext("VALUE") };
  const nodes = templateParts(template).map((part) => {
    if (part.text != null) return document.createTextNode(part.text);
    const text = filled[part.slot];
    return el("span", {
      className: `slot slot--${part.slot}${text ? " slot--filled" : ""}`,
      text: text || placeholders[part.slot],
    });
  });
  dom.preview.replaceChildren(...nodes);
}

function chipList(container, texts, input) {
  const current = normalise(input.value);
  syncKeyed(
    container,
    texts,
    (item) => normalise(item.text),
    (item) => el("button", {
      type: "button", className: "chip", dataset: { text: item.text },
      on: { click: chipClicked(input) },
    }),
    (node, item) => {
      node.dataset.text = item.text;
      node.textContent = item.text;
      node.setAttribute("aria-pressed", String(normalise(item.text) === current));
    },
  );
}

function renderBuilder() {
  renderPreview();
  if (!model) return;
  // Every suggestion of the facilitator's, then what people typed, up to ten chips.
  const activities = activityChoices(model).filter((choice, index) => !choice.typed || index < 10);
  chipList(dom.activityChips, activities, dom.activityInput);
  const values = valueGroups(model)
    .sort((a, b) => b.count - a.count || a.firstId - b.firstId)
    .slice(0, 18)
    .map((group) => ({ text: group.text }));
  chipList(dom.valueChips, values, dom.statementValue);
  dom.valueChips.hidden = values.length === 0;
}

// ---------------------------------------------------------------------------- votes

function vote(group, cast) {
  dom.voteError.textContent = "";
  const id = cast ? group.voteId : myVotedStatement(model, group);
  if (id == null) return;
  client.send(cast ? "vote.cast" : "vote.retract", { target: { kind: "statement", id } })
    .catch((error) => { dom.voteError.textContent = error.message; });
}

function votePrinciple(principle, cast) {
  dom.principleVoteError.textContent = "";
  client.send(cast ? "vote.cast" : "vote.retract", { target: { kind: "principle", id: principle.id } })
    .catch((error) => { dom.principleVoteError.textContent = error.message; });
}

// ---------------------------------------------------------------------------- taking back

function anyPhaseOpen() {
  return Boolean(model && model.phases.some((phase) => phase.status === "open"));
}

function removeMine(kind, ids, errorNode) {
  errorNode.textContent = "";
  for (const id of ids) {
    client.send(`${kind}.remove`, { id }).catch((error) => { errorNode.textContent = error.message; });
  }
}

// ---------------------------------------------------------------------------- principles

dom.principleForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const title = dom.principleTitle.value.trim();
  dom.principleSent.textContent = "";
  if (!title) {
    dom.principleError.textContent = gettext("Give your principle a title.");
    dom.principleTitle.focus();
    return;
  }
  const body = dom.principleBody.value.trim();
  const sources = [...chosenSources].filter((id) => model.statements.has(id)).sort((a, b) => a - b);
  dom.principleError.textContent = "";
  dom.principleSubmit = dom.principleForm.querySelector("button[type=submit]");
  dom.principleSubmit.disabled = true;
  client.send("principle.propose", { title, body, sources }).then(
    () => {
      dom.principleForm.reset();
      chosenSources.clear();
      flash(dom.principleSent, gettext("Principle proposed. Everyone can vote on it now."));
      schedule();
    },
    (error) => { dom.principleError.textContent = error.message; },
  ).finally(() => { dom.principleSubmit.disabled = false; });
});

// ---------------------------------------------------------------------------- consent

function placeConsent(level) {
  if (consentShown == null) return;
  dom.consentError.textContent = "";
  client.send("consent.place", { id: consentShown, level, reason: dom.consentReason.value.trim() })
    .catch((error) => { dom.consentError.textContent = error.message; });
}

for (const levelButton of document.querySelectorAll(".consent-level")) {
  levelButton.addEventListener("click", () => placeConsent(levelButton.dataset.level));
}
dom.consentReasonSend.addEventListener("click", () => {
  const level = model && consentShown != null ? model.myConsent[consentShown] : null;
  if (level) placeConsent(level);
});

// ---------------------------------------------------------------------------- render

const renderCredential = credentialClaim(client);

function render() {
  if (!model) return;
  renderCredential(model.you);
  const phase = currentPhase(model);
  const kind = phase ? phase.kind : null;
  document.body.dataset.phase = kind || "none";
  dom.title.textContent = model.workshop.title || dom.title.textContent;
  document.title = `${model.workshop.title} · Open Visioning`;
  dom.phaseTitle.textContent = phase ? phase.title : gettext("Between activities");
  dom.prompt.textContent = phase ? phase.prompt : "";
  dom.prompt.hidden = !phase || !phase.prompt;
  dom.youAre.textContent = model.you.name
    ? interpolate(gettext("You are taking part as %(name)s."), { name: model.you.name }, true)
    : gettext("You are taking part anonymously.");

  dom.waiting.hidden = Boolean(phase);
  dom.valuesPanel.hidden = kind !== "values";
  dom.statementPanel.hidden = kind !== "statements";
  if (kind === "statements") renderBuilder();
  // At a table, its own work first; the whole room's on demand.
  const table = renderTable();
  const seen = table && !wholeRoom ? tableView(model, table.id) : model;
  ideas.render(seen, kind === "ideas" ? phase : null);
  renderMyValues();

  const groups = valueGroups(seen);
  renderCloud(groups);
  dom.cloudPanel.hidden = !(kind === "values" || (kind !== "statements" && kind !== "principles" && groups.length));

  const statements = statementGroups(seen);
  renderStatements(statements);
  dom.statementsSection.hidden = !(kind === "statements" || (kind !== "principles" && statements.length));

  renderPrinciples(statements);
  dom.principlesSection.hidden = !(kind === "principles" || model.principles.size);
  renderConsent();
  renderMaterials();
  renderEnding();
  roomMessage.render(model.workshop.message);
  tick();
}

/** My table and its members, with the switch between our work and the room's; the
 * table, or null when none is formed. */
function renderTable() {
  const table = myTable(model);
  dom.tablePanel.hidden = !table;
  if (!table) return null;
  dom.tableName.textContent = table.name;
  const members = tableMembers(model, table);
  syncKeyed(dom.tableMembers, members, (member) => member.id, () => el("li"), (node, member) => {
    node.textContent = member.id === model.you.id
      ? interpolate(gettext("%(name)s (you)"), { name: member.name || gettext("You") }, true)
      : member.name || gettext("Someone without a name");
    node.classList.toggle("is-you", member.id === model.you.id);
  });
  dom.tableScope.textContent = wholeRoom ? gettext("Show our table’s work first") : gettext("Show the whole room");
  dom.tableScope.setAttribute("aria-pressed", String(wholeRoom));
  dom.tableScopeHint.textContent = wholeRoom
    ? gettext("You see what every table has made.")
    : gettext("You see what your table has made.");
  return table;
}

/** The links the facilitator gave the room (slides, the recording), opened in a new tab. */
function renderMaterials() {
  dom.materialsPanel.hidden = !model.materials.length;
  syncKeyed(dom.materialsList, model.materials, (m) => String(m.id),
    (m) => el("li", {}, el("a", { href: m.url, text: m.title, target: "_blank", rel: "noopener noreferrer" })),
    (node, m) => {
      const link = node.firstChild;
      link.href = m.url;
      link.textContent = m.title;
    });
}

function tick() {
  if (!model) return;
  const phase = runningTimerPhase(model);
  const left = timerRemaining(phase, clock.now());
  dom.timer.hidden = left === null;
  if (left === null) return;
  dom.timer.classList.toggle("is-up", left === 0);
  dom.timer.classList.toggle("is-near", left > 0 && left <= 60000);
  dom.timer.textContent = left > 0
    ? interpolate(gettext("%(time)s left"), { time: formatDuration(left) }, true)
    : gettext("Time is up");
}
setInterval(tick, 1000);

function renderMyValues() {
  const mine = anyPhaseOpen() ? myItems(model, "value").filter((item) => !item.pending) : [];
  // Not yet acknowledged: shown as waiting while the connection is down (when it is up,
  // the ack comes within a blink and the value appears as stored).
  const waiting = connection === "connected" ? [] : [...unsent].map((entry, i) => ({ waiting: i, text: entry.text }));
  const items = [...waiting, ...mine];
  syncKeyed(dom.myValues, items, (item) => (item.waiting != null ? `w${item.waiting}` : item.id), (first) => {
    if (first.waiting != null) {
      return el("li", { className: "my-item is-waiting", dataset: { testid: "my-value-waiting" } },
        el("span", { className: "my-item__text" }), " ",
        el("span", { className: "my-item__state", text: gettext("waiting to send") }));
    }
    const node = el("li", { className: "my-item", dataset: { testid: "my-value" } },
      el("span", { className: "my-item__text" }),
      el("button", { type: "button", className: "btn btn--ghost btn--small remove-mine",
        id: `remove-value-${first.id}`, text: gettext("Remove"),
        on: { click: () => removeMine("value", [node.itemId], dom.myValuesError) } }));
    return node;
  }, (node, item) => {
    node.querySelector(".my-item__text").textContent = item.text;
    if (item.waiting != null) return;
    node.itemId = item.id;
    node.querySelector(".remove-mine").setAttribute("aria-label",
      interpolate(gettext("Remove your value “%(text)s”"), { text: item.text }, true));
  });
  dom.myValuesBox.hidden = items.length === 0;
}

function renderCloud(groups) {
  const max = groups.reduce((m, g) => Math.max(m, g.count), 1);
  const item = (group) => el("li", { className: "cloud__item" },
    el("span", { className: "cloud__text" }), el("span", { className: "cloud__count" }));
  syncKeyed(dom.cloud, groups, (g) => g.key, item, (node, group) => {
    node.firstChild.textContent = group.text;
    node.lastChild.textContent = group.count > 1 ? String(group.count) : "";
    node.lastChild.hidden = group.count < 2;
    node.style.setProperty("--scale", cloudScale(group.count, max).toFixed(3));
    node.classList.toggle("is-mine", group.mine);
  });
  // The same, as a list a screen reader reads in order of weight.
  const byCount = [...groups].sort((a, b) => b.count - a.count || a.firstId - b.firstId);
  syncKeyed(dom.valuesList, byCount, (g) => g.key, () => el("li"), (node, group) => {
    node.textContent = group.count > 1
      ? interpolate(ngettext("%(text)s (%(n)s person)", "%(text)s (%(n)s people)", group.count),
        { text: group.text, n: group.count }, true)
      : group.text;
  });
  dom.valuesEmpty.hidden = groups.length > 0;
  const live = counts(model);
  dom.valuesTotal.textContent = groups.length
    ? interpolate(ngettext("%(n)s contribution", "%(n)s contributions", live.values),
      { n: live.values }, true)
    : "";
}

function renderBudget(node, budget) {
  if (!budget) {
    node.hidden = true;
    return;
  }
  node.hidden = false;
  node.textContent = interpolate(
    ngettext("%(left)s of %(budget)s vote left", "%(left)s of %(budget)s votes left", budget.budget),
    { left: budget.left, budget: budget.budget }, true);
  node.classList.toggle("budget--empty", budget.left === 0);
}

function renderStatements(groups) {
  const budget = statementBudget(model);
  const voting = Boolean(budget);
  const hidden = resultsHidden(model, "statement");
  const canRemove = anyPhaseOpen();
  renderBudget(dom.budget, budget);
  dom.resultsHidden.hidden = !hidden;
  const newestFirst = [...groups].sort((a, b) => b.firstId - a.firstId);
  syncKeyed(dom.statementsList, newestFirst, (g) => g.key, createStatement, (node, group) => {
    node.querySelector(".statement__text").textContent = group.text;
    const label = node.querySelector(".statement__table");
    label.textContent = groupTableNames(model, group.ids).join(" · ");
    label.hidden = !label.textContent;
    const count = node.querySelector(".statement__count");
    count.hidden = group.count < 2;
    count.textContent = interpolate(ngettext("%(n)s person", "%(n)s people", group.count),
      { n: group.count }, true);
    node.classList.toggle("is-mine", group.mine);
    const votes = node.querySelector(".statement__votes");
    votes.textContent = hidden || group.votes == null ? ""
      : interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes), { n: group.votes }, true);
    votes.hidden = hidden || group.votes == null || (!voting && group.votes === 0);
    const cast = node.querySelector(".vote-cast");
    const retract = node.querySelector(".vote-retract");
    node.groupRef = group;
    cast.hidden = !voting;
    cast.disabled = !budget || budget.left === 0;
    cast.setAttribute("aria-label", interpolate(gettext("+1 vote for: %(text)s"), { text: group.text }, true));
    holdPlace(retract, voting && group.myVotes > 0, voting);
    retract.setAttribute("aria-label",
      interpolate(gettext("Take back a vote from: %(text)s"), { text: group.text }, true));
    showMine(node.querySelector(".statement__mine"), group.myVotes, voting);
    const remove = node.querySelector(".statement-remove");
    remove.hidden = !(canRemove && group.mine);
    remove.setAttribute("aria-label",
      interpolate(gettext("Remove your statement: %(text)s"), { text: group.text }, true));
  });
  dom.statementsEmpty.hidden = groups.length > 0;
  // What is listed (our table's, or the room's): every statement of these cards.
  const listed = groups.reduce((n, group) => n + group.count, 0);
  dom.statementsTotal.textContent = groups.length ? `(${listed})` : "";
}

/**
 * Show a node, or, while voting, keep its place empty: the "+1 vote" button must not
 * move under a finger when the first vote adds "1 of yours" and "Take back" to the row.
 */
function holdPlace(node, shown, voting) {
  node.hidden = !shown && !voting;
  node.classList.toggle("is-placeholder", !shown && voting);
}

function showMine(node, myVotes, voting) {
  holdPlace(node, myVotes > 0, voting);
  const n = Math.max(myVotes, 1); // the placeholder is as wide as the first vote's line
  node.textContent = interpolate(ngettext("%(n)s of yours", "%(n)s of yours", n), { n }, true);
}

function myStatementIds(group) {
  return group.ids.filter((id) => {
    const statement = model.statements.get(id);
    return statement && statement.by && statement.by.id === model.you.id;
  });
}

function createStatement() {
  const node = el("li", { className: "statement", dataset: { testid: "statement" } });
  const cast = el("button", { type: "button", className: "btn btn--small btn--secondary vote-cast",
    text: gettext("+1 vote"), on: { click: () => vote(node.groupRef, true) } });
  const retract = el("button", { type: "button", className: "btn btn--small btn--ghost vote-retract",
    text: gettext("Take back"), on: { click: () => vote(node.groupRef, false) } });
  const remove = el("button", { type: "button", className: "link-button statement-remove",
    text: gettext("Remove"),
    on: { click: () => removeMine("statement", myStatementIds(node.groupRef), dom.voteError) } });
  node.append(
    el("p", { className: "statement__text" }),
    el("div", { className: "statement__meta" },
      el("span", { className: "table-label statement__table", dataset: { testid: "table-label" } }),
      el("span", { className: "badge statement__count" }),
      el("span", { className: "statement__votes" }),
      el("span", { className: "statement__mine" }),
      remove,
      el("span", { className: "statement__actions" }, retract, cast)),
  );
  return node;
}

function createPrinciple(first) {
  const node = el("li", { className: "principle", dataset: { testid: "principle", principle: String(first.id) } });
  const cast = el("button", { type: "button", className: "btn btn--small btn--secondary principle-vote",
    text: gettext("+1 vote"), on: { click: () => votePrinciple(node.principle, true) } });
  const retract = el("button", { type: "button", className: "btn btn--small btn--ghost principle-retract",
    text: gettext("Take back"), on: { click: () => votePrinciple(node.principle, false) } });
  node.append(
    el("div", { className: "principle__head" },
      el("span", { className: "principle__rank", attrs: { "aria-hidden": "true" } }),
      el("h3", { className: "principle__title" }),
      el("span", { className: "badge principle__status" })),
    el("p", { className: "principle__body prewrap" }),
    el("details", { className: "principle__roots" },
      el("summary", { className: "principle__roots-summary" }),
      el("ul", { className: "roots" })),
    el("div", { className: "statement__meta" },
      el("span", { className: "statement__votes principle__votes" }),
      el("span", { className: "statement__mine principle__mine" }),
      el("span", { className: "statement__actions" }, retract, cast)),
  );
  return node;
}

function renderPrinciples(statementGroupsList) {
  const roots = valueGroupIndex(model);
  const principles = principleList(model);
  const budget = voteBudget(model, "principle");
  const hidden = resultsHidden(model, "principle");
  renderBudget(dom.principleBudget, budget);
  dom.principlesResultsHidden.hidden = !hidden || principles.length === 0;
  syncKeyed(dom.principlesList, principles, (p) => p.id, createPrinciple, (node, principle) => {
    node.principle = principle;
    node.querySelector(".principle__rank").textContent = `${principles.indexOf(principle) + 1}`;
    node.querySelector(".principle__title").textContent = principle.title || "";
    const body = node.querySelector(".principle__body");
    body.textContent = principle.body || "";
    body.hidden = !principle.body;
    node.classList.toggle("is-final", principle.status === "final");
    const status = node.querySelector(".principle__status");
    status.hidden = principle.status !== "final";
    status.textContent = gettext("Agreed");

    const sources = principleSources(model, principle);
    node.querySelector(".principle__roots").hidden = sources.length === 0;
    node.querySelector(".principle__roots-summary").textContent = interpolate(
      ngettext("Grows from %(n)s statement", "Grows from %(n)s statements", sources.length),
      { n: sources.length }, true);
    syncKeyed(node.querySelector(".roots"), sources, (s) => s.id,
      () => el("li", { className: "root" },
        el("span", { className: "root__statement" }), el("span", { className: "root__value" })),
      (li, statement) => {
        li.querySelector(".root__statement").textContent = statement.text;
        li.querySelector(".root__value").textContent = interpolate(gettext("builds on the value “%(value)s”"),
          { value: statementRoot(model, statement, roots).text }, true);
      });

    const votes = node.querySelector(".principle__votes");
    votes.hidden = hidden || principle.votes == null;
    votes.textContent = interpolate(ngettext("%(n)s vote", "%(n)s votes", principle.votes || 0),
      { n: principle.votes || 0 }, true);
    const myVotes = model.myVotes[`principle:${principle.id}`] || 0;
    showMine(node.querySelector(".principle__mine"), myVotes, Boolean(budget));
    const cast = node.querySelector(".principle-vote");
    cast.hidden = !budget;
    cast.disabled = !budget || budget.left === 0;
    cast.setAttribute("aria-label", interpolate(gettext("+1 vote for the principle: %(text)s"),
      { text: principle.title }, true));
    const retract = node.querySelector(".principle-retract");
    holdPlace(retract, Boolean(budget) && myVotes > 0, Boolean(budget));
    retract.setAttribute("aria-label", interpolate(gettext("Take back a vote from: %(text)s"),
      { text: principle.title }, true));
  });
  dom.principlesEmpty.hidden = principles.length > 0;
  dom.principlesTotal.textContent = principles.length ? `(${principles.length})` : "";

  // Proposing: while a principles phase is open, from the group's statements.
  const open = Boolean(openPhaseOfKind(model, "principles"));
  dom.principlePropose.hidden = !open;
  if (!open) return;
  const byVotes = [...statementGroupsList].sort((a, b) => (b.votes || 0) - (a.votes || 0) || a.firstId - b.firstId);
  syncKeyed(dom.principleSources, byVotes, (g) => g.voteId, (first) => {
    const id = `principle-source-${first.voteId}`;
    const box = el("input", { type: "checkbox", id, className: "principle-source", value: String(first.voteId),
      on: { change: () => {
        if (box.checked) chosenSources.add(first.voteId);
        else chosenSources.delete(first.voteId);
      } } });
    return el("li", { className: "source-picker__item" }, box, el("label", { htmlFor: id }));
  }, (node, group) => {
    node.querySelector("label").textContent = group.text;
    node.querySelector("input").checked = chosenSources.has(group.voteId);
  });
  dom.principleSourcesEmpty.hidden = byVotes.length > 0;
}

function renderConsent() {
  const rounds = openConsentRounds(model);
  const principle = rounds[0] || null;
  dom.consentPanel.hidden = !principle;
  if (!principle) {
    consentShown = null;
    return;
  }
  if (consentShown !== principle.id) {
    consentShown = principle.id;
    dom.consentReason.value = "";
    dom.consentError.textContent = "";
    announcer.say(interpolate(gettext("A consent round is open on %(title)s."), { title: principle.title }, true));
    bringToView(dom.consentPanel, interpolate(gettext("Consent round: %(title)s · show"), { title: principle.title }, true));
  }
  dom.consentTitle.textContent = principle.title;
  dom.consentBody.textContent = principle.body || "";
  dom.consentBody.hidden = !principle.body;
  const chosen = model.myConsent[principle.id] || null;
  for (const levelButton of dom.consentPanel.querySelectorAll(".consent-level")) {
    levelButton.setAttribute("aria-pressed", String(levelButton.dataset.level === chosen));
  }
  dom.consentMine.textContent = chosen
    ? interpolate(gettext("You chose: %(level)s. You can change your mind while the round is open."),
      { level: consentLabels()[chosen] }, true)
    : "";
  dom.consentReasonSend.hidden = !chosen;
  const tally = consentCounts(principle.consent);
  renderConsentBar(dom.consentDistribution, tally);
  dom.consentCount.textContent = interpolate(
    ngettext("%(n)s person has placed themselves so far.", "%(n)s people have placed themselves so far.", tally.total),
    { n: tally.total }, true);
}

updateCounter();
renderPreview();

// ---------------------------------------------------------------------------- the ending

const ending = {
  panel: $("ending-panel"), title: $("ending-title"), outcome: $("ending-outcome"),
  reportWrap: $("ending-report-wrap"), report: $("ending-report"),
};
let endingShown = false;

/** Once the facilitator ends the session: the outcome, the report link, nothing to fill in. */
function renderEnding() {
  const ended = model.workshop.ended || null;
  // A phase open after the end (by its schedule): the session goes on for those who
  // missed it, and the page is the activity's, with a word that the live part is over.
  const goesOn = Boolean(ended && currentPhase(model));
  dom.afterwardsNote.hidden = !goesOn;
  ending.panel.hidden = !ended || goesOn;
  if (!ended || goesOn) {
    endingShown = false;
    return;
  }
  for (const section of [dom.waiting, dom.valuesPanel, dom.statementPanel, dom.cloudPanel,
    dom.statementsSection, dom.principlesSection, dom.consentPanel]) section.hidden = true;
  dom.phaseTitle.textContent = gettext("The session has ended");
  ending.reportWrap.hidden = !ended.report;
  if (ended.report) ending.report.href = ended.report;
  renderOutcome(ending.outcome, model, { prefix: "ending" });
  if (!endingShown) {
    endingShown = true;
    announcer.say(gettext("The session has ended. The outcome is on your screen."));
  }
}
