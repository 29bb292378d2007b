from __future__ import annotations

import pytest

from workshops import services
from workshops.demo import demo_workshop_ensure
from workshops.records import exports

pytestmark = pytest.mark.django_db


def _md(workshop, **options) -> str:
    return exports.workshop_export(workshop, format="md", **options).decode()


def test_it_reads_like_the_results_post_of_the_demo(facilitator):
    text = _md(demo_workshop_ensure(facilitator))
    assert text.startswith("# Open Futures for Micro-credentialing\n")
    assert "**Activity One: What are your open values?**" in text
    assert "- Reputation - networks - trust\n" in text
    assert "What might assessment look like as a practice of equity?" in text
    assert "**Activity Two: Situate your values in an activity statement" in text
    values_at = text.index("What are your open values?")
    statements_at = text.index("What might assessment look like")
    assert values_at < text.index("- cooperative vs competitive") < statements_at
    assert "Licence: CC BY 4.0" in text


def test_it_counts_repeated_statements_once(facilitator):
    text = _md(demo_workshop_ensure(facilitator))
    line = "- What might accessibility look like as a practice of transparency? (2 times)"
    assert text.count("accessibility look like") == 1
    assert line in text


def test_it_groups_values_by_key_with_counts(rich):
    text = _md(rich.workshop)
    # "equity", "Equity!" and "fairness" (merged into equity) are one idea said three times.
    assert "- equity (3)\n" in text
    assert "- care\n" in text
    assert "fairness" not in text


def test_it_leaves_hidden_items_out(rich):
    text = _md(rich.workshop)
    assert "something rude" not in text
    assert "nonsense" not in text


def test_it_lists_principles_with_sources_and_votes(rich):
    text = _md(rich.workshop)
    assert "1. **Assess for equity** (1 vote, final)" in text
    assert "   Assessment is fair when everyone can show what they know." in text
    grounded = text.index("Grounded in:")
    assert text.index("   - What might assessment look like", grounded) > grounded
    assert "2. **Care first** (0 votes)" in text


def test_it_shows_statement_votes(rich):
    text = _md(rich.workshop)
    assert "- What might assessment look like as a practice of equity? (2 votes)" in text


def test_it_never_lets_html_or_markdown_through(workshop, ada):
    services.value_add(participant=ada, text="<b>x</b>")
    services.value_add(participant=ada, text="*bold* _it_ [link](http://x) `code` &amp;")
    text = _md(workshop)
    assert "<b>" not in text
    assert r"\<b\>x\</b\>" in text
    assert r"\*bold\* \_it\_ \[link\](http://x) \`code\` \&amp;" in text


def test_it_escapes_list_starts_in_descriptions(workshop):
    workshop.description = "- not a list\n1. not a number\n# not a heading"
    workshop.save()
    text = _md(workshop)
    assert "\\- not a list\n1\\. not a number\n\\# not a heading" in text


def test_it_skips_activities_never_started(workshop, ada):
    services.value_add(participant=ada, text="equity")
    text = _md(workshop)
    assert "## Values" in text
    assert "## Statements" not in text
