// The control room's phases: one row per phase, with which one people see, open and
// close, the timer, hidden results, the order, removal, the facilitator's notes, and
// the settings and schedule forms under a row (design.js, after.js).
import { el, syncKeyed } from "../dom.js";
import { currentPhase, formatDuration, timerRemaining } from "../state.js";
import { scheduleForm, scheduleText } from "./after.js";
import { $, VOTING_KINDS, button, ignore, quoted } from "./common.js";
import { phaseForm } from "./design.js";

function statusLabel(status) {
  return {
    open: pgettext("phase status", "Open"),
    closed: pgettext("phase status", "Closed"),
    pending: gettext("Not started"),
  }[status] || status;
}

function kindLabel(kind) {
  return { values: gettext("Values"), statements: gettext("Statements"),
    principles: gettext("Principles"), ideas: gettext("Ideas") }[kind] || kind;
}

export function phasesSection(room) {
  const dom = { phases: $("phase-list"), error: $("phase-error"), onScreen: $("phase-on-screen") };
  const ui = {
    pending: new Map(), // phase key -> "open" | "close" while awaiting the ack
    editing: null, // the phase key whose settings form is open
    scheduling: null, // the key of the phase whose schedule form is open
    notesOpenedFor: null, // the phase whose notes opened by themselves when people came to it
  };
  const send = (type, fields) => room.command(type, fields, dom.error);

  function togglePhase(phase, action) {
    ui.pending.set(phase.key, action);
    room.schedule();
    send(action === "open" ? "phase.open" : "phase.close", { phase: phase.key })
      .catch(ignore)
      .finally(() => {
        ui.pending.delete(phase.key);
        room.schedule();
      });
  }

  function createPhaseRow(phase) {
    const key = phase.key;
    const node = el("li", { className: "phase-row", dataset: { phase: key } });
    const minutesId = `timer-minutes-${key}`;
    node.append(
      el("div", { className: "phase-row__main" },
        el("p", { className: "phase-row__title" },
          el("span", { className: "phase-row__name" }),
          el("span", { className: "phase-status" }),
          el("span", { className: "phase-kind" }),
          el("span", { className: "phase-timer", id: `phase-timer-${key}` }),
          el("span", { className: "phase-results" })),
        el("p", { className: "phase-row__prompt" }),
        el("p", { className: "phase-row__schedule" })),
      el("div", { className: "phase-row__actions" },
        button("", "btn--primary phase-open", `phase-open-${key}`, () => togglePhase(node.phase, "open")),
        button("", "btn--ghost phase-close", `phase-close-${key}`, () => togglePhase(node.phase, "close"))),
      // The facilitator's script for the step: only facilitators' states carry it.
      el("details", { className: "phase-notes", id: `phase-script-${key}` },
        el("summary", { className: "phase-notes__summary", text: gettext("Your notes") }),
        el("p", { className: "phase-notes__text prewrap" })),
      el("div", { className: "phase-row__tools" },
        el("span", { className: "tool-group timer-tools" },
          el("label", { htmlFor: minutesId, className: "tool-label", text: gettext("Timer (minutes)") }),
          el("input", { type: "number", id: minutesId, className: "timer-minutes", min: "1", max: "240",
            step: "1", value: String(phase.minutes || 5), inputMode: "numeric" }),
          button(gettext("Start"), "btn--secondary timer-start", `timer-start-${key}`, () => startTimer(node.phase)),
          button(gettext("Stop"), "btn--ghost timer-stop", `timer-stop-${key}`,
            () => send("timer.stop", { phase: node.phase.key }).catch(ignore))),
        el("span", { className: "tool-group results-tools" },
          button("", "btn--secondary results-toggle", `results-toggle-${key}`, () => toggleResults(node.phase))),
        el("span", { className: "tool-group order-tools" },
          button("↑", "btn--ghost phase-up", `phase-up-${key}`, () => movePhase(node.phase, -1)),
          button("↓", "btn--ghost phase-down", `phase-down-${key}`, () => movePhase(node.phase, 1)),
          button(gettext("Settings"), "btn--ghost phase-settings", `phase-edit-${key}`, () => toggleEditPhase(node.phase)),
          button(gettext("Schedule"), "btn--ghost phase-schedule-toggle", `phase-schedule-${key}`,
            () => toggleSchedule(node.phase)),
          button(gettext("Remove"), "btn--danger phase-remove", `phase-remove-${key}`, () => removePhase(node.phase)))),
    );
    return node;
  }

  /** Say which phase people see: with two open, phones and the screen show only the later. */
  function renderOnScreen(model, current) {
    const behind = model.phases.filter((p) => p.status === "open" && p !== current);
    dom.onScreen.classList.toggle("is-split", behind.length > 0);
    if (!current) {
      dom.onScreen.textContent = gettext("No phase is open: people see “Between activities”.");
    } else if (behind.length) {
      dom.onScreen.textContent = interpolate(ngettext(
        "People see %(title)s. %(others)s is open too, but not on their screens: close it, or move it after.",
        "People see %(title)s. %(others)s are open too, but not on their screens: close them, or move them after.",
        behind.length), { title: quoted(current.title), others: behind.map((p) => quoted(p.title)).join(", ") }, true);
    } else {
      dom.onScreen.textContent = interpolate(gettext("People see %(title)s."), { title: quoted(current.title) }, true);
    }
  }

  function render(model) {
    const current = currentPhase(model);
    const last = model.phases.length - 1;
    renderOnScreen(model, current);
    syncKeyed(dom.phases, model.phases, (p) => p.key, createPhaseRow, (node, phase) => {
      node.phase = phase;
      const index = model.phases.indexOf(phase);
      const key = CSS.escape(phase.key);
      node.classList.toggle("is-current", phase === current);
      node.querySelector(".phase-row__name").textContent = phase.title;
      const badge = node.querySelector(".phase-status");
      badge.dataset.status = phase.status;
      const seen = phase.status !== "open" || phase === current;
      badge.dataset.seen = String(seen);
      badge.textContent = phase === current
        ? interpolate(gettext("%(status)s · people see this"), { status: statusLabel(phase.status) }, true)
        : seen ? statusLabel(phase.status)
          : interpolate(gettext("%(status)s · not shown to people"), { status: statusLabel(phase.status) }, true);
      const voting = VOTING_KINDS.has(phase.kind);
      node.querySelector(".phase-kind").textContent = [
        voting && phase.vote_budget
          ? interpolate(ngettext("%(kind)s · %(n)s vote each", "%(kind)s · %(n)s votes each", phase.vote_budget ?? 0),
            { kind: kindLabel(phase.kind), n: phase.vote_budget ?? 0 }, true)
          : kindLabel(phase.kind),
        phase.minutes ? interpolate(gettext("%(n)s min suggested"), { n: phase.minutes }, true) : "",
        phase.tables ? gettext("in tables") : "",
      ].filter(Boolean).join(" · ");
      renderNotes(node, phase, phase === current);
      const results = node.querySelector(".phase-results");
      results.hidden = !phase.results_hidden;
      results.textContent = gettext("Results hidden");
      const prompt = node.querySelector(".phase-row__prompt");
      prompt.textContent = phase.prompt || "";
      prompt.hidden = !phase.prompt;
      const pending = ui.pending.get(phase.key);
      const open = node.querySelector(`#phase-open-${key}`);
      const close = node.querySelector(`#phase-close-${key}`);
      open.hidden = phase.status === "open";
      close.hidden = phase.status !== "open";
      open.disabled = close.disabled = Boolean(pending);
      open.textContent = pending === "open" ? gettext("Opening…")
        : phase.status === "closed" ? gettext("Reopen") : gettext("Open");
      close.textContent = pending === "close" ? gettext("Closing…") : gettext("Close");
      open.setAttribute("aria-label", interpolate(phase.status === "closed"
        ? gettext("Reopen the phase %(title)s") : gettext("Open the phase %(title)s"), { title: phase.title }, true));
      close.setAttribute("aria-label", interpolate(gettext("Close the phase %(title)s"), { title: phase.title }, true));
      node.querySelector(`#timer-stop-${key}`).hidden = !phase.timer_ends_at;
      node.querySelector(`#timer-start-${key}`).textContent = phase.timer_ends_at ? gettext("Restart") : gettext("Start");
      node.querySelector(".results-tools").hidden = !voting;
      const toggle = node.querySelector(`#results-toggle-${key}`);
      toggle.textContent = phase.results_hidden ? gettext("Reveal results") : gettext("Hide results until reveal");
      toggle.setAttribute("aria-pressed", String(Boolean(phase.results_hidden)));
      node.querySelector(`#phase-up-${key}`).disabled = index <= 0;
      node.querySelector(`#phase-down-${key}`).disabled = index >= last;
      node.querySelector(`#phase-up-${key}`).setAttribute("aria-label",
        interpolate(gettext("Move %(title)s up"), { title: phase.title }, true));
      node.querySelector(`#phase-down-${key}`).setAttribute("aria-label",
        interpolate(gettext("Move %(title)s down"), { title: phase.title }, true));
      node.querySelector(`#phase-remove-${key}`).setAttribute("aria-label",
        interpolate(gettext("Remove the phase %(title)s"), { title: phase.title }, true));
      const editButton = node.querySelector(`#phase-edit-${key}`);
      editButton.setAttribute("aria-expanded", String(ui.editing === phase.key));
      const form = node.querySelector(".phase-edit");
      if (ui.editing === phase.key && !form) {
        node.append(phaseForm(phase, {
          send: (fields) => send("phase.update", fields),
          saved: () => {
            ui.editing = null;
            room.render();
          },
          cancel: () => toggleEditPhase(phase),
        }));
      } else if (ui.editing !== phase.key && form) form.remove();
      renderSchedule(node, phase);
    });
  }

  /** A phase's notes beside it, opened by themselves once for the phase people see. */
  function renderNotes(node, phase, isCurrent) {
    const notes = node.querySelector(".phase-notes");
    notes.hidden = !phase.notes;
    node.querySelector(".phase-notes__text").textContent = phase.notes || "";
    if (isCurrent && phase.notes && ui.notesOpenedFor !== phase.key) {
      ui.notesOpenedFor = phase.key;
      notes.open = true;
    }
    const timer = node.querySelector(".timer-minutes");
    // The timer proposes the design's duration, unless the facilitator is typing another.
    if (phase.minutes && timer !== document.activeElement && timer.dataset.minutes !== String(phase.minutes)) {
      timer.dataset.minutes = String(phase.minutes);
      timer.value = String(Math.min(phase.minutes, 240));
    }
  }

  function renderSchedule(node, phase) {
    const line = node.querySelector(".phase-row__schedule");
    line.textContent = scheduleText(phase);
    line.hidden = !line.textContent;
    const toggle = node.querySelector(".phase-schedule-toggle");
    toggle.setAttribute("aria-expanded", String(ui.scheduling === phase.key));
    toggle.setAttribute("aria-label", interpolate(gettext("Schedule the phase %(title)s"), { title: phase.title }, true));
    const form = node.querySelector(".phase-schedule");
    if (ui.scheduling === phase.key && !form) {
      node.append(scheduleForm(phase, (fields) => send("phase.update", fields), () => toggleSchedule(phase)));
    } else if (ui.scheduling !== phase.key && form) form.remove();
  }

  function toggleSchedule(phase) {
    ui.scheduling = ui.scheduling === phase.key ? null : phase.key;
    room.render();
    const input = document.getElementById(`phase-${phase.status === "open" ? "closes" : "opens"}-${phase.key}`);
    if (ui.scheduling && input) input.focus();
  }

  /** Count each running timer down, by the server's clock (every second, and each render). */
  function tick(model) {
    const now = room.clock.now();
    for (const phase of model.phases) {
      const node = document.getElementById(`phase-timer-${phase.key}`);
      if (!node) continue;
      const left = timerRemaining(phase, now);
      node.hidden = left === null;
      if (left !== null) {
        node.textContent = left > 0 ? formatDuration(left) : gettext("Time is up");
        node.classList.toggle("is-up", left === 0);
      }
    }
  }

  function startTimer(phase) {
    const input = document.getElementById(`timer-minutes-${phase.key}`);
    const minutes = Number(input.value);
    if (!(minutes > 0)) {
      dom.error.textContent = gettext("Give the timer a number of minutes.");
      input.focus();
      return;
    }
    send("timer.start", { phase: phase.key, seconds: Math.min(14400, Math.round(minutes * 60)) }).catch(ignore);
  }

  function toggleResults(phase) {
    send(phase.results_hidden ? "results.reveal" : "results.hide", { phase: phase.key }).catch(ignore);
  }

  function movePhase(phase, step) {
    const phases = room.model.phases;
    const from = phases.indexOf(phase);
    const position = from + step;
    if (position < 0 || position >= phases.length) return;
    // Move it here at once, so quick clicks count from where the phase now stands rather
    // than from where the last event left it; phase.moved then confirms the order.
    phases.splice(from, 1);
    phases.splice(position, 0, phase);
    phases.forEach((each, index) => { each.position = index; });
    room.schedule();
    send("phase.move", { phase: phase.key, position }).catch(ignore);
  }

  function removePhase(phase) {
    const question = interpolate(
      gettext("Remove the phase “%(title)s”? What was said in it stays; the phase itself is gone."),
      { title: phase.title }, true);
    if (!window.confirm(question)) return;
    send("phase.remove", { phase: phase.key }).catch(ignore);
  }

  function toggleEditPhase(phase) {
    ui.editing = ui.editing === phase.key ? null : phase.key;
    room.render();
    if (ui.editing) {
      const input = document.getElementById(`phase-title-${phase.key}`);
      if (input) input.focus();
    }
  }

  return { render, tick };
}
