"""The browser client during a passing outage: a command answered `unavailable` is sent
again by itself, with the same ref, and the person never sees it refused."""

from __future__ import annotations

import json

import pytest

from tests.e2e.pages import join

pytestmark = [pytest.mark.browser]

# The first value.add never reaches the server: the socket answers it, as a server whose
# database is restarting would, with `unavailable`. Every frame sent is recorded.
FIRST_ADD_UNAVAILABLE = """
(() => {
  const send = WebSocket.prototype.send;
  let answered = false;
  window.sentFrames = [];
  WebSocket.prototype.send = function (data) {
    const frame = JSON.parse(data);
    window.sentFrames.push(frame);
    if (frame.type === "value.add" && !answered) {
      answered = true;
      const error = {type: "error", ref: frame.ref, code: "unavailable", message: "busy"};
      setTimeout(() => this.dispatchEvent(
        new MessageEvent("message", {data: JSON.stringify(error)})), 10);
      return;
    }
    return send.call(this, data);
  };
})();
"""


def test_a_value_answered_unavailable_is_resent_by_itself_and_shown(server, workshop, contexts):
    from playwright.sync_api import expect

    def with_outage(**options):
        context = contexts(**options)
        context.add_init_script(FIRST_ADD_UNAVAILABLE)
        return context

    ada = join(with_outage, server, workshop, "Ada")
    ada.fill("#value-input", "equity")
    ada.click("#value-submit")
    expect(ada.locator("#values-cloud .cloud__text", has_text="equity")).to_have_count(
        1, timeout=5000
    )
    expect(ada.locator("#value-error")).to_be_hidden()
    adds = [f for f in ada.evaluate("window.sentFrames") if f["type"] == "value.add"]
    assert len(adds) == 2, json.dumps(adds)
    assert adds[0]["ref"] == adds[1]["ref"]
