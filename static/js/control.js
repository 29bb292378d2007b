// The control room /facilitate/CODE/: design and run the phases (timers, hidden
// results), watch who takes part, moderate (hide, restore, merge), draft principles from
// statements and run consent rounds on them, and read the log of facilitator actions.
//
// This module holds the page together: one live client (as a viewer), the model it
// keeps (state.js), and `room`, the one object every section of static/js/control/
// receives. Each section owns its part of the page (its elements, its forms, what is
// open in it) and draws it in `render(model)`, in the order below.
import { LiveClient, ServerClock, readConfig } from "./live.js";
import { Announcer, renderLoop, renderStatus } from "./dom.js";
import { applyEvent, createModel } from "./state.js";
import { materialsCard } from "./control/after.js";
import { auditLog } from "./control/audit.js";
import { boardSection } from "./control/board.js";
import { $, keepHidden } from "./control/common.js";
import { consentRecord } from "./control/consent.js";
import { designSection } from "./control/design.js";
import { endingSection } from "./control/ending.js";
import { moderationSection } from "./control/moderation.js";
import { phasesSection } from "./control/phases.js";
import { principlesSection } from "./control/principles.js";
import { statsSection } from "./control/stats.js";
import { suggestionsSection } from "./control/suggestions.js";
import { TablesPanel } from "./control/tables.js";

const room = {
  config: readConfig(),
  model: null, // the reducer's model (state.js), from the first welcome on
  online: null, // people connected now, from the last presence frame
  clock: new ServerClock(),
  mySeqs: new Set(), // seqs of the events this page's own commands caused
  command, // (type, fields, errorNode): the ack, or the refusal shown in errorNode
  render, // draw everything now (after opening or closing a form)
  schedule: renderLoop(render), // draw everything at the next frame
};

const dom = { status: $("conn-status"), title: $("control-title"), phaseError: $("phase-error") };
const announcer = new Announcer($("announcer"), 6000);
const phases = phasesSection(room);
const stats = statsSection(room);
const design = designSection(room);
const principles = principlesSection(room);
const board = boardSection(room, principles.sources);
const tables = new TablesPanel(command);
const moderation = moderationSection(room);
const suggestions = suggestionsSection(room);
const consent = consentRecord();
const log = auditLog(room, consent.record);
const renderMaterials = materialsCard(command);
const ending = endingSection(room);

const client = new LiveClient({
  config: room.config,
  resume: false,
  // A viewer, so the control room is nobody in the counts; its commands are logged under
  // the signed-in facilitator (docs/protocol.md, "Viewers").
  hello: { role: "viewer" },
  onWelcome(welcome, { fresh }) {
    if (fresh || !room.model) {
      const previous = room.model;
      room.model = createModel(welcome);
      for (const principle of (welcome.state && welcome.state.principles) || []) {
        if (principle.consent) consent.record(principle.consent, "consent.state", welcome.seq || 0);
      }
      // The server never sends hidden text again: keep what this page already knew.
      if (previous) keepHidden(previous, room.model);
    }
    if (welcome.you && welcome.you.sees !== "facilitator") {
      dom.phaseError.textContent = gettext(
        "This browser is not signed in as a facilitator of this workshop, so its controls will be refused.");
    }
    log.loadHistory();
    suggestions.refresh();
    room.schedule();
  },
  onEvent(event) {
    if (!room.model) return;
    room.clock.observe(event.at);
    log.observe(room.model, event);
    consent.record(event.data, event.event, event.seq);
    const change = applyEvent(room.model, event);
    if (change && change.added) announcer.count(change.kind, event.data.text || event.data.title);
    if (event.event.startsWith("value.")) suggestions.refreshSoon();
  },
  onEventsDone: () => room.schedule(),
  onPresence(count, joined) {
    stats.presence(count, joined);
    room.schedule();
  },
  onStatus: (status) => renderStatus(dom.status, status),
  onHelloError(error) {
    dom.phaseError.textContent = error.message;
  },
});
client.start(null);
setInterval(() => room.model && phases.tick(room.model), 1000);

function command(type, fields, errorNode) {
  if (errorNode) errorNode.textContent = "";
  return client.send(type, fields).then((ack) => {
    room.mySeqs.add(ack.seq);
    room.schedule();
    return ack;
  }, (error) => {
    if (errorNode) errorNode.textContent = error.message;
    throw error;
  });
}

function render() {
  const model = room.model;
  if (!model) return;
  dom.title.textContent = model.workshop.title || dom.title.textContent;
  phases.render(model);
  stats.render(model);
  design.render(model);
  board.renderValues(model);
  board.renderStatements(model);
  board.renderIdeas(model);
  tables.render(model);
  moderation.renderPending(model);
  suggestions.render(model);
  moderation.renderHidden(model);
  principles.render(model);
  consent.render(model);
  log.render();
  renderMaterials(model);
  ending.render(model);
  phases.tick(model);
}
