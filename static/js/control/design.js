// The control room's design of the session: a phase's settings form (opened under its
// row by phases.js), the form that adds a phase (with an ideas phase's columns), and the
// workshop's wording (title, statement template, activity suggestions).
import { el } from "../dom.js";
import { $, VOTING_KINDS, button, ignore } from "./common.js";

/**
 * The settings form under a phase's row. `send(fields)` sends phase.update and resolves
 * on its ack; `saved()` runs after it, `cancel()` when the facilitator gives up.
 */
export function phaseForm(phase, { send, saved, cancel }) {
  const id = (name) => `phase-${name}-${phase.key}`;
  const title = el("input", { type: "text", id: id("title"), maxLength: 120, value: phase.title || "" });
  const prompt = el("textarea", { id: id("prompt"), maxLength: 500, rows: 2, value: phase.prompt || "" });
  const budget = el("input", { type: "number", id: id("budget"), min: "0", max: "50", step: "1",
    value: String(phase.vote_budget ?? 3), inputMode: "numeric" });
  const minutes = el("input", { type: "number", id: id("minutes"), min: "0", max: "600", step: "1",
    value: phase.minutes ? String(phase.minutes) : "", inputMode: "numeric" });
  const tables = el("input", { type: "checkbox", id: id("tables"), checked: Boolean(phase.tables) });
  const notes = el("textarea", { id: id("notes"), maxLength: 4000, rows: 6, value: phase.notes || "",
    className: "phase-edit__notes" });
  const voting = VOTING_KINDS.has(phase.kind);
  return el("form", {
    className: "phase-edit form-grid",
    on: {
      submit: (submit) => {
        submit.preventDefault();
        // Minutes left empty: no suggested duration, which phase.update reads as 0.
        const fields = { phase: phase.key, title: title.value, prompt: prompt.value, notes: notes.value,
          minutes: minutes.value.trim() ? Number(minutes.value) : 0, tables: tables.checked };
        if (voting) fields.vote_budget = Number(budget.value);
        send(fields).then(saved, ignore);
      },
    },
  },
  el("div", { className: "field" }, el("label", { htmlFor: id("title"), text: gettext("Title") }), title),
  voting ? el("div", { className: "field" },
    el("label", { htmlFor: id("budget"), text: gettext("Votes per person") }), budget) : null,
  el("div", { className: "field form-grid__wide" },
    el("label", { htmlFor: id("prompt"), text: gettext("Prompt") }), prompt),
  el("div", { className: "field" },
    el("label", { htmlFor: id("minutes"), text: gettext("Suggested minutes") }), minutes),
  el("div", { className: "field field--check" }, tables,
    el("label", { htmlFor: id("tables"), text: gettext("Runs in tables") })),
  el("div", { className: "field form-grid__wide" },
    el("label", { htmlFor: id("notes"), text: gettext("Your notes (facilitators only)") }), notes),
  el("div", { className: "form-grid__wide form-actions" },
    el("button", { type: "submit", className: "btn btn--primary btn--small", id: id("save"), text: gettext("Save") }),
    button(gettext("Cancel"), "btn--ghost", null, cancel)));
}

/** Columns typed one a line, with keys made from their titles: [{key, title}]. */
function columnsFrom(text) {
  const columns = [];
  for (const line of text.split("\n")) {
    const title = line.trim();
    if (!title) continue;
    const base = title.normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")
      .toLowerCase().slice(0, 30) || "column";
    let key = base;
    for (let n = 2; columns.some((column) => column.key === key); n += 1) key = `${base}-${n}`;
    columns.push({ key, title });
  }
  return columns;
}

function templateForPeople(template) {
  return (template || "").replace("{activity}", "(ACTIVITY)").replace("{value}", "(VALUE)");
}

/** The add-a-phase form and the wording form; `render(model)` fills the wording once. */
export function designSection(room) {
  const dom = {
    phaseError: $("phase-error"), phaseAddForm: $("phase-add-form"), phaseAdd: $("phase-add"),
    wordingForm: $("wording-form"), wordingTitle: $("wording-title"),
    wordingTemplate: $("wording-template"), wordingSuggestions: $("wording-suggestions"),
    wordingError: $("wording-error"), wordingSaved: $("wording-saved"),
  };
  const ui = { wordingFilled: false };

  dom.phaseAddForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    const form = dom.phaseAddForm;
    const fields = { kind: $("phase-add-kind").value, title: $("phase-add-title").value.trim(),
      prompt: $("phase-add-prompt").value.trim() };
    if (fields.kind === "ideas") fields.columns = columnsFrom($("phase-add-columns").value);
    if (!fields.title) {
      dom.phaseError.textContent = gettext("Give the new phase a title.");
      $("phase-add-title").focus();
      return;
    }
    room.command("phase.add", fields, dom.phaseError).then(() => {
      form.reset();
      $("phase-add-columns-field").hidden = true;
      dom.phaseAdd.open = false;
    }, ignore);
  });

  // Only an ideas phase has columns: their field shows for that kind.
  $("phase-add-kind").addEventListener("change", (change) => {
    $("phase-add-columns-field").hidden = change.target.value !== "ideas";
  });

  dom.wordingForm.addEventListener("input", () => { dom.wordingForm.dataset.dirty = "1"; });
  dom.wordingForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    const suggestionsList = dom.wordingSuggestions.value.split(/\n|,/).map((s) => s.trim()).filter(Boolean);
    dom.wordingSaved.textContent = "";
    room.command("workshop.update", {
      title: dom.wordingTitle.value,
      statement_template: dom.wordingTemplate.value,
      activity_suggestions: suggestionsList,
    }, dom.wordingError).then(() => {
      dom.wordingForm.dataset.dirty = "";
      dom.wordingSaved.textContent = gettext("Saved. Everyone sees the new wording now.");
      room.schedule();
    }, ignore);
  });

  function render(model) {
    const form = dom.wordingForm;
    if (ui.wordingFilled && (form.contains(document.activeElement) || form.dataset.dirty === "1")) return;
    ui.wordingFilled = true;
    dom.wordingTitle.value = model.workshop.title || "";
    dom.wordingTemplate.value = templateForPeople(model.workshop.statement_template);
    dom.wordingSuggestions.value = (model.workshop.activity_suggestions || []).join("\n");
  }

  return { render };
}
