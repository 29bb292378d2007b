// The control room's tables (breakouts): form them by size or count, see who sits
// where, move a person, rename or add a table, end them; and each table's top items
// side by side, for 1-2-4-All's "All" step; and the message every table reads at once.
// Commands: docs/protocol.md, "Tables" and "Messages to the room".
import { el, syncKeyed } from "../dom.js";
import { currentTables, tableMembers, topByTable } from "../state.js";

const $ = (id) => document.getElementById(id);

export class TablesPanel {
  /** `command(type, fields, errorNode)`: the control room's sender (a promise of the ack). */
  constructor(command) {
    this.command = command;
    this.renaming = null; // the table id whose rename form is open
    this.dom = {
      count: $("tables-count"), form: $("tables-form"), size: $("tables-size"),
      number: $("tables-number"), apart: $("tables-apart"), round: $("tables-round"),
      list: $("tables-list"), add: $("tables-add"), end: $("tables-end"),
      error: $("tables-error"), topBlock: $("tables-top-block"), top: $("tables-top"),
      topShow: $("tables-top-show"),
      messageForm: $("message-form"), messageText: $("message-text"), messageShown: $("message-shown"),
      messageShownText: $("message-shown-text"), messageClear: $("message-clear"),
      messageError: $("message-error"),
    };
    this.dom.messageForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.dom.messageText.value.trim();
      if (!text) {
        this.dom.messageError.textContent = gettext("Write the message first.");
        this.dom.messageText.focus();
        return;
      }
      this.command("message.send", { text }, this.dom.messageError)
        .then(() => { this.dom.messageText.value = ""; }, () => {});
    });
    this.dom.messageClear.addEventListener("click", () => {
      this.command("message.clear", {}, this.dom.messageError)
        .then(() => this.dom.messageText.focus(), () => {});
    });
    this.topShown = false;
    this.dom.topShow.addEventListener("click", () => this.command("tables.top", { shown: !this.topShown },
      this.dom.error).catch(() => {}));
    this.dom.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const by = this.dom.form.querySelector("input[name=tables-by]:checked").value;
      const fields = by === "size" ? { size: Number(this.dom.size.value) } : { count: Number(this.dom.number.value) };
      this.command("tables.form", { ...fields, apart: this.dom.apart.checked }, this.dom.error).catch(() => {});
    });
    this.dom.add.addEventListener("click", () => this.command("table.add", {}, this.dom.error).catch(() => {}));
    this.dom.end.addEventListener("click", () => this.command("tables.end", {}, this.dom.error).catch(() => {}));
  }

  render(model) {
    const tables = currentTables(model);
    this.dom.form.hidden = tables.length > 0;
    this.dom.round.hidden = tables.length === 0;
    const seated = tables.reduce((n, table) => n + table.members.length, 0);
    this.dom.count.textContent = tables.length
      ? interpolate(ngettext("(%(n)s table, %(people)s seated)", "(%(n)s tables, %(people)s seated)", tables.length),
        { n: tables.length, people: seated }, true)
      : "";
    syncKeyed(this.dom.list, tables, (table) => table.id, (table) => this.createTable(table),
      (node, table) => this.updateTable(node, table, tables, model));
    this.renderTop(model);
    this.renderMessage(model);
  }

  /** The message every screen shows now, with the button that clears it. */
  renderMessage(model) {
    const message = model.workshop.message;
    this.dom.messageShown.hidden = !message;
    this.dom.messageShownText.textContent = message ? message.text : "";
  }

  createTable(table) {
    const node = el("li", { dataset: { testid: "control-table", table: String(table.id) } });
    const name = el("h4");
    const rename = el("button", { type: "button", className: "btn btn--ghost btn--small",
      text: gettext("Rename"), on: { click: () => this.toggleRename(node) } });
    const input = el("input", { type: "text", maxLength: 40, className: "table-rename__input" });
    const form = el("form", { className: "input-row table-rename", hidden: true, noValidate: true,
      on: { submit: (event) => {
        event.preventDefault();
        this.command("table.rename", { table: node.table.id, name: input.value }, this.dom.error)
          .then(() => { this.renaming = null; form.hidden = true; }, () => {});
      } } },
    input, el("button", { type: "submit", className: "btn btn--primary btn--small", text: gettext("Save") }));
    node.append(el("div", { className: "card__head" }, name, rename), form, el("ul"),
      el("p", { className: "empty", text: gettext("Nobody sits here yet.") }));
    return node;
  }

  toggleRename(node) {
    const form = node.querySelector(".table-rename");
    form.hidden = !form.hidden;
    this.renaming = form.hidden ? null : node.table.id;
    if (!form.hidden) {
      const input = form.querySelector("input");
      input.value = node.table.name;
      input.focus();
    }
  }

  updateTable(node, table, tables, model) {
    node.table = table;
    node.querySelector("h4").textContent = table.name;
    const renameButton = node.querySelector(".card__head button");
    renameButton.setAttribute("aria-label", interpolate(gettext("Rename %(table)s"), { table: table.name }, true));
    node.querySelector(".table-rename input").setAttribute("aria-label",
      interpolate(gettext("New name for %(table)s"), { table: table.name }, true));
    const members = tableMembers(model, table);
    node.querySelector(".empty").hidden = members.length > 0;
    syncKeyed(node.querySelector("ul"), members, (member) => member.id, () => {
      const row = el("li", { dataset: { testid: "table-member" } }, el("span"), el("select"));
      row.querySelector("select").addEventListener("change", (event) => {
        const to = Number(event.target.value);
        if (to !== row.tableId) this.command("table.move", { participant: row.memberId, table: to }, this.dom.error).catch(() => {});
      });
      return row;
    }, (row, member) => {
      row.memberId = member.id;
      row.tableId = table.id;
      const who = member.name || interpolate(gettext("Participant %(id)s"), { id: member.id }, true);
      row.querySelector("span").textContent = who;
      const select = row.querySelector("select");
      select.setAttribute("aria-label", interpolate(gettext("Move %(name)s to"), { name: who }, true));
      select.replaceChildren(...tables.map((other) => el("option", { value: String(other.id),
        text: other.name, selected: other.id === table.id })));
    });
  }

  renderTop(model) {
    const rows = topByTable(model);
    this.dom.topBlock.hidden = rows.length === 0;
    this.topShown = Boolean(model.workshop.tables_top);
    this.dom.topShow.textContent = this.topShown ? gettext("Take them off the screen") : gettext("Show them on the screen");
    this.dom.topShow.setAttribute("aria-pressed", String(this.topShown));
    syncKeyed(this.dom.top, rows, (row) => row.table.id, () => el("li", { dataset: { testid: "table-top" } },
      el("h4"), el("ol")), (node, row) => {
      node.querySelector("h4").textContent = row.table.name;
      node.querySelector("ol").replaceChildren(...row.items.map((item) => el("li", {
        text: item.votes ? interpolate(ngettext("%(text)s (%(n)s vote)", "%(text)s (%(n)s votes)", item.votes),
          { text: item.text, n: item.votes }, true) : item.text })));
    });
  }
}
