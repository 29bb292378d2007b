// What the control room offers for a session that goes on after the webinar: each
// phase's schedule (it opens and closes by itself, docs/protocol.md "Schedules") and the
// links given to the room (materials). Times are typed and shown in the browser's own
// time zone, and sent in UTC.
import { el, syncKeyed } from "../dom.js";

export const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const whenFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
  { dateStyle: "medium", timeStyle: "short" });

/** "Opens by itself 31 Jan 2030, 18:00 · closes by itself …", or "" when not scheduled. */
export function scheduleText(phase) {
  const parts = [];
  if (phase.opens_at) {
    parts.push(interpolate(gettext("opens by itself %(when)s"), { when: whenFormat.format(new Date(phase.opens_at)) }, true));
  }
  if (phase.closes_at) {
    parts.push(interpolate(gettext("closes by itself %(when)s"), { when: whenFormat.format(new Date(phase.closes_at)) }, true));
  }
  const text = parts.join(" · ");
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** An ISO time as a datetime-local input holds it: the browser's wall clock, to the minute. */
function localValue(iso) {
  if (!iso) return "";
  const moment = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`
    + `T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

/** What a datetime-local input says, in UTC for the server; null when it is empty. */
function utcValue(input) {
  return input.value ? new Date(input.value).toISOString() : null;
}

/**
 * The form under a phase that sets or clears when it opens and closes by itself.
 * `send(fields)` sends phase.update and resolves on its ack; `done()` closes the form.
 */
export function scheduleForm(phase, send, done) {
  const id = (name) => `phase-${name}-${phase.key}`;
  const isOpen = phase.status === "open";
  const opens = el("input", { type: "datetime-local", id: id("opens"), value: localValue(phase.opens_at),
    disabled: isOpen, attrs: { "aria-describedby": id("schedule-hint") } });
  const closes = el("input", { type: "datetime-local", id: id("closes"), value: localValue(phase.closes_at),
    attrs: { "aria-describedby": id("schedule-hint") } });
  const fields = (cleared) => {
    // An open phase takes no opening time: leave it out rather than clear it.
    const times = { phase: phase.key, closes_at: cleared ? null : utcValue(closes) };
    if (!isOpen) times.opens_at = cleared ? null : utcValue(opens);
    return times;
  };
  return el("form", {
    className: "phase-schedule form-grid",
    on: { submit: (submit) => { submit.preventDefault(); send(fields(false)).then(done, () => {}); } },
  },
  el("div", { className: "field" },
    el("label", { htmlFor: id("opens"), text: gettext("Opens by itself at") }), opens),
  el("div", { className: "field" },
    el("label", { htmlFor: id("closes"), text: gettext("Closes by itself at") }), closes),
  el("p", { className: "hint form-grid__wide", id: id("schedule-hint"),
    text: interpolate(gettext("Times in your browser's time zone (%(zone)s). It happens whether or not anyone is connected; leave a time empty for none."),
      { zone: browserZone }, true) }),
  el("div", { className: "form-grid__wide form-actions" },
    el("button", { type: "submit", className: "btn btn--primary btn--small", id: id("schedule-save"),
      text: gettext("Save the schedule") }),
    el("button", { type: "button", className: "btn btn--ghost btn--small", id: id("schedule-clear"),
      text: gettext("Clear the schedule"), on: { click: () => send(fields(true)).then(done, () => {}) } }),
    el("button", { type: "button", className: "btn btn--ghost btn--small", text: gettext("Cancel"),
      on: { click: done } })));
}

/**
 * The materials card: the links given to the room, each with a remove button, and the
 * form that adds one. `send(type, fields)` sends a command and resolves on its ack.
 */
export function materialsCard(send) {
  const $ = (id) => document.getElementById(id);
  const list = $("materials-list");
  const form = $("material-form");
  const error = $("material-error");
  if (!list || !form) return () => {};
  form.addEventListener("submit", (submit) => {
    submit.preventDefault();
    const title = $("material-title");
    const url = $("material-url");
    send("material.add", { title: title.value.trim(), url: url.value.trim() }, error).then(() => {
      title.value = "";
      url.value = "";
      title.focus();
    }, () => {});
  });
  return function render(model) {
    $("materials-empty").hidden = model.materials.length > 0;
    syncKeyed(list, model.materials, (m) => String(m.id), (m) => el("li", { className: "material-row" },
      el("a", { className: "material-row__link", target: "_blank", rel: "noopener noreferrer" }),
      el("button", { type: "button", className: "btn btn--ghost btn--small material-remove",
        text: gettext("Remove"), on: { click: () => send("material.remove", { id: m.id }, error).catch(() => {}) } })),
    (node, m) => {
      const link = node.querySelector("a");
      link.href = m.url;
      link.textContent = m.title;
      node.querySelector("button").setAttribute("aria-label",
        interpolate(gettext("Remove the link %(title)s"), { title: m.title }, true));
    });
  };
}
