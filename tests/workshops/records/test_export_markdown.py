from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

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
    assert r"\*bold\* \_it\_ \[link\](http\://x) \`code\` \&amp;" in text


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


# What people type that a Markdown renderer would otherwise read as structure.
TRICKY_STARTS = [
    "1. one",
    "2) two",
    "+ plus",
    "- dash",
    "---",
    "# hash",
    "* star",
    "> quote",
    "https://example.org/open",
    "see www.oeglobal.org",
]


def _rendered(text: str) -> SyntaxTreeNode:
    """The Markdown as a forum reads it: CommonMark with bare URLs linkified."""
    renderer = MarkdownIt("commonmark", {"linkify": True}).enable("linkify")
    return SyntaxTreeNode(renderer.parse(text))


def _text(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(_text(child) for child in node.children)


def _kinds(node: SyntaxTreeNode) -> set[str]:
    return {node.type} | {kind for child in node.children for kind in _kinds(child)}


def _list_after(tree: SyntaxTreeNode, heading: str) -> list[SyntaxTreeNode]:
    """The items of the list that follows the `## heading`."""
    blocks = tree.children
    at = next(i for i, b in enumerate(blocks) if b.type == "heading" and _text(b) == heading)
    listing = next(b for b in blocks[at + 1 :] if b.type.endswith("_list"))
    return listing.children


def test_every_value_stays_its_own_list_item_whatever_it_starts_with(workshop, ada):
    for text in TRICKY_STARTS:
        services.value_add(participant=ada, text=text)
    tree = _rendered(_md(workshop))
    items = _list_after(tree, "Values")
    assert sorted(_text(item) for item in items) == sorted(TRICKY_STARTS)
    for item in items:  # each a plain paragraph: no nested list, rule, heading or quote
        assert _kinds(item) <= {"list_item", "paragraph", "inline", "text"}, _text(item)
    assert [b.type for b in tree.children].count("hr") == 1  # the closing rule only


def test_a_bare_url_does_not_become_a_link(workshop, ada):
    services.value_add(participant=ada, text="https://example.org/open")
    services.value_add(participant=ada, text="mail ada@example.org")
    tree = _rendered(_md(workshop))
    assert "link" not in _kinds(tree)
    texts = [_text(item) for item in _list_after(tree, "Values")]
    assert sorted(texts) == ["https://example.org/open", "mail ada@example.org"]


def test_a_statement_that_starts_like_a_list_stays_one_item(workshop, host, ada):
    workshop.statement_template = "{activity} for {value}"
    workshop.save(update_fields=["statement_template"])
    services.phase_open(participant=host, phase="statements")
    services.statement_add(participant=ada, activity="1. assessment", value="care")
    services.statement_add(participant=ada, activity="- badges", value="trust")
    items = _list_after(_rendered(_md(workshop)), "Statements")
    assert sorted(_text(item) for item in items) == ["- badges for trust", "1. assessment for care"]
    for item in items:
        assert _kinds(item) <= {"list_item", "paragraph", "inline", "text"}


def test_it_tells_every_consent_round_and_every_reason(rich):
    text = _md(rich.workshop)
    first = text.index("Consent round 1 (closed, 2 places): 1 full support, 1 support with")
    second = text.index("Consent round 2 (open, 2 places): 0 full support")
    assert text.index("2. **Care first**") < first < second
    assert "   - Support with reservations: Care for whom?\n" in text
    assert "   - Need more discussion: Let us hear the students\n" in text
    assert "   - Cannot support: Care is not measurable\n" in text
