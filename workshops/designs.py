"""The library of workshop designs: each a timed sequence of phases to start from.

A design gives every phase its prompt, a suggested duration, whether it runs in
breakout tables, and the facilitator's notes (the script of the step, written for this
project). A design adapted from a published method credits it (`credit`); the credit is
also appended to the first phase's notes, so it travels with every workshop made from it.

Liberating Structures are CC BY-SA 4.0: the designs adapted from them, notes included,
are shared under that licence. The futures methods credit the UK Government Office for
Science's Futures Toolkit (Open Government Licence v3.0) and Policy Horizons Canada.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise


@dataclass(frozen=True)
class PhaseDesign:
    key: str
    kind: str
    title: Text
    prompt: Text
    open_at_start: bool = False
    minutes: int | None = None  # suggested duration; None: as long as it takes
    tables: bool = False  # done in breakout tables
    notes: Text = ""  # the facilitator's script: facilitators alone read it
    columns: tuple[tuple[str, Text], ...] = ()  # an ideas phase's (key, title)
    vote_budget: int = 3


@dataclass(frozen=True)
class WorkshopDesign:
    name: Text
    phases: tuple[PhaseDesign, ...]
    description: Text = ""  # one line, offered where a workshop is created
    credit: Text = ""  # the method's source and licence
    activity_suggestions: tuple[Text, ...] = ()

    @property
    def minutes(self) -> int:
        """The suggested minutes of its steps, added up (0: none suggested)."""
        return sum(phase.minutes or 0 for phase in self.phases)


LIBERATING_STRUCTURES = _(
    "Adapted from Liberating Structures by Henri Lipmanowicz and Keith McCandless "
    "(liberatingstructures.com), licensed CC BY-SA 4.0; this adaptation is shared under "
    "the same licence."
)


DESIGNS: dict[str, WorkshopDesign] = {
    # The OE Global 2021 "Open Futures for Micro-credentialing" visioning session.
    "open-values": WorkshopDesign(
        name=_("Open values"),
        description=_("Values, then statements that put them to work, then shared principles."),
        credit=_(
            "After the OE Global 2021 session “Open Futures for Micro-credentialing”, "
            "where this project began."
        ),
        phases=(
            PhaseDesign(
                "values",
                "values",
                _("Values"),
                _("What are your open values?"),
                open_at_start=True,
                minutes=10,
                notes=_(
                    "Welcome people and show the join code. Ask for single words or short "
                    "phrases: what they care about when they say “open”. Let the cloud "
                    "grow in silence for a few minutes, then read the largest words aloud "
                    "and ask who would say a sentence about one of them. Merge the "
                    "near-duplicates as they come."
                ),
            ),
            PhaseDesign(
                "statements",
                "statements",
                _("Statements"),
                _(
                    "Situate your values in an activity statement: "
                    "What might (ACTIVITY) look like as a practice of (VALUE)?"
                ),
                minutes=15,
                notes=_(
                    "Explain the sentence with one example of your own before opening. "
                    "Each person pairs an activity of their work with a value from the "
                    "cloud. After about ten minutes, invite votes on the questions they "
                    "would most like to answer together, and read the top three aloud."
                ),
            ),
            PhaseDesign(
                "principles",
                "principles",
                _("Principles"),
                _("Co-create a set of principles grounded in what the group said."),
                minutes=20,
                notes=_(
                    "Draft a first principle from the most voted statements, in front of "
                    "everyone, and link it to its sources. Ask the room to propose others, "
                    "then run a consent round on each: objections are reasons to improve "
                    "the wording, not vetoes. Finalise what the room can live with."
                ),
            ),
        ),
        activity_suggestions=(
            _("assessment"),
            _("recognition"),
            _("accessibility"),
            _("PLAR/RPL"),
            _("co-creation"),
            _("micro-credential policy"),
        ),
    ),
    "blank": WorkshopDesign(
        name=_("Blank"),
        description=_("Three empty phases to shape as you like."),
        phases=(
            PhaseDesign("values", "values", _("Ideas"), _("Share a word or a short idea."), True),
            PhaseDesign("statements", "statements", _("Statements"), ""),
            PhaseDesign("principles", "principles", _("Principles"), ""),
        ),
    ),
    "1-2-4-all": WorkshopDesign(
        name=_("1-2-4-All"),
        description=_("Everyone thinks alone, then in pairs, in fours, and the whole room."),
        credit=LIBERATING_STRUCTURES,
        phases=(
            PhaseDesign(
                "alone",
                "ideas",
                _("1: Alone"),
                _("What ideas do you have for the question in front of us? One per card."),
                open_at_start=True,
                minutes=1,
                vote_budget=0,
                notes=_(
                    "Replace the prompt with your own invitation: one open question the "
                    "whole session serves. Read it aloud and ask for a minute of silence, "
                    "each person writing their own ideas. Do not discuss yet: the point is "
                    "that every voice has something to bring before anyone talks."
                ),
            ),
            PhaseDesign(
                "pairs",
                "ideas",
                _("2: In pairs"),
                _("With your partner, build on each other's ideas: what stands out?"),
                minutes=2,
                tables=True,
                vote_budget=0,
                notes=_(
                    "Seat people in tables of two. Each pair shares what they wrote and "
                    "builds on it, looking for what is new or strong. Two minutes are "
                    "enough: keep the pace brisk and announce the time left."
                ),
            ),
            PhaseDesign(
                "fours",
                "ideas",
                _("4: In fours"),
                _("In your group of four, which ideas are worth the room's attention?"),
                minutes=4,
                tables=True,
                vote_budget=0,
                notes=_(
                    "Join pairs into tables of four. Ask each group to notice what is "
                    "similar and what differs in their ideas, and to write down the one or "
                    "two they would bring to everyone."
                ),
            ),
            PhaseDesign(
                "all",
                "ideas",
                _("All: the whole room"),
                _("Which idea stood out in your conversation? Vote for the ones to take forward."),
                minutes=5,
                notes=_(
                    "End the tables. Ask each group in turn for one idea that stood out, "
                    "without repeating one already shared. Let everyone vote, then read "
                    "the ideas with the most votes and agree what happens to them next. "
                    "Repeat the cycle if the question deserves a second round."
                ),
            ),
        ),
    ),
    "min-specs": WorkshopDesign(
        name=_("Min Specs"),
        description=_("Find the few musts and must-nots that really matter for a purpose."),
        credit=LIBERATING_STRUCTURES,
        phases=(
            PhaseDesign(
                "max-specs",
                "ideas",
                _("Every must and must not"),
                _("To achieve our purpose, what must we absolutely do, and never do?"),
                open_at_start=True,
                minutes=10,
                tables=True,
                vote_budget=0,
                columns=(("must-do", _("Must do")), ("must-not-do", _("Must not do"))),
                notes=_(
                    "State the purpose clearly and write it in the prompt. First alone, "
                    "then at tables of four to six, list every rule people can think of, "
                    "in the two columns. Quantity first: the long list is raw material for "
                    "the next step."
                ),
            ),
            PhaseDesign(
                "min-specs",
                "ideas",
                _("The few that matter"),
                _(
                    "Keep only the rules without which the purpose would fail. "
                    "Write each one again here."
                ),
                minutes=15,
                tables=True,
                vote_budget=0,
                columns=(("must-do", _("Must do")), ("must-not-do", _("Must not do"))),
                notes=_(
                    "Each table tests its list rule by rule: if we broke this one, could "
                    "we still reach the purpose? If yes, it goes. What survives is copied "
                    "here. Expect the lists to shrink to a handful; push gently on every "
                    "item that only sounds important."
                ),
            ),
            PhaseDesign(
                "all",
                "ideas",
                _("Our minimum specifications"),
                _("Which of the tables' rules belong on the room's short list? Vote for them."),
                minutes=10,
                columns=(("must-do", _("Must do")), ("must-not-do", _("Must not do"))),
                notes=_(
                    "End the tables. Read each table's short list, merge the duplicates "
                    "and let the room vote. Agree on the few rules with the strongest "
                    "support, and on who will hold the group to them."
                ),
            ),
        ),
    ),
    "what-so-what-now-what": WorkshopDesign(
        name=_("What, So What, Now What?"),
        description=_("Look back on a shared experience: the facts, their meaning, what to do."),
        credit=LIBERATING_STRUCTURES,
        phases=(
            PhaseDesign(
                "debrief",
                "ideas",
                _("What, so what, now what?"),
                _("Look back at what we just lived through, one column after the other."),
                open_at_start=True,
                minutes=20,
                tables=True,
                vote_budget=0,
                columns=(
                    ("what", _("What? (what happened)")),
                    ("so-what", _("So what? (why it matters)")),
                    ("now-what", _("Now what? (what we do next)")),
                ),
                notes=_(
                    "Name the experience you are looking back on. Go through the columns "
                    "in order, with a timer for each: about five minutes on What (facts "
                    "and observations only, no judgement), seven on So what (patterns, "
                    "surprises, what it means), five on Now what (actions). Tell the "
                    "tables when to move on to the next column."
                ),
            ),
            PhaseDesign(
                "next-steps",
                "ideas",
                _("Our next steps"),
                _("Which next step should we take first? Vote for the ones you would act on."),
                minutes=10,
                notes=_(
                    "End the tables. Ask each table for its most useful “now what”, "
                    "collect them here and let people vote. Close by naming who takes the "
                    "first step and when the group will look back again."
                ),
            ),
        ),
    ),
    "three-horizons": WorkshopDesign(
        name=_("Three Horizons"),
        description=_("Today's system, a desired future, and the innovations between them."),
        credit=_(
            "Three Horizons, after Bill Sharpe and the International Futures Forum, as "
            "presented in Policy Horizons Canada's Three Horizons guide and in the UK "
            "Government Office for Science's Futures Toolkit (Open Government Licence v3.0)."
        ),
        phases=(
            PhaseDesign(
                "horizons",
                "ideas",
                _("The three horizons"),
                _(
                    "What of today will fade (H1)? What future do we want (H3)? "
                    "What could carry us there (H2)?"
                ),
                open_at_start=True,
                minutes=30,
                tables=True,
                vote_budget=0,
                columns=(
                    ("h1", _("H1: today, fading")),
                    ("h2", _("H2: innovations in transition")),
                    ("h3", _("H3: the future we want")),
                ),
                notes=_(
                    "Name the system and the time frame (ten to fifteen years out works "
                    "well). Fill the columns in this order: first H1, the way things are "
                    "done now and what no longer fits; then H3, the future people want and "
                    "the signs of it already here; last H2, the innovations that could "
                    "move us from one to the other. Ask of each H2 card whether it "
                    "prolongs today or opens the way to H3."
                ),
            ),
            PhaseDesign(
                "pathway",
                "ideas",
                _("Our pathway"),
                _("Which H2 innovations should we nurture first, and how? Vote for them."),
                minutes=15,
                notes=_(
                    "End the tables and read the H2 columns together. Ask for the moves "
                    "that most clearly lead towards H3, one per card, then let people "
                    "vote. Keep what to protect from H1 in view: not everything old must "
                    "go."
                ),
            ),
        ),
    ),
    "futures-wheel": WorkshopDesign(
        name=_("Futures Wheel"),
        description=_("Trace the consequences of one change, ring after ring."),
        credit=_(
            "The Futures Wheel, devised by Jerome C. Glenn, as described in the UK "
            "Government Office for Science's Futures Toolkit (Open Government Licence v3.0)."
        ),
        phases=(
            PhaseDesign(
                "wheel",
                "ideas",
                _("The wheel"),
                _(
                    "Answer the change at the centre with what it could lead to; "
                    "then answer those consequences in turn."
                ),
                open_at_start=True,
                minutes=25,
                tables=True,
                vote_budget=0,
                notes=_(
                    "Write the change, trend or decision you explore as the first card "
                    "yourself, from the join page: it is the centre of the wheel. Ask each "
                    "table for its direct consequences, as answers to that card (the first "
                    "ring). After ten minutes, ask for the consequences of those "
                    "consequences, as answers to them (the second ring). Welcome good and "
                    "bad effects alike."
                ),
            ),
            PhaseDesign(
                "implications",
                "ideas",
                _("What it means for us"),
                _("Which consequences matter most, and what should we do about them? Vote."),
                minutes=10,
                notes=_(
                    "End the tables and look at the whole wheel together. Ask which "
                    "consequences surprise people or call for action, collect them here "
                    "and let the room vote on where to act first."
                ),
            ),
        ),
    ),
    "backcasting": WorkshopDesign(
        name=_("Backcasting"),
        description=_("Describe a future you want, then work back to the first step today."),
        credit=_(
            "Backcasting, after John B. Robinson, as described in the UK Government Office "
            "for Science's Futures Toolkit (Open Government Licence v3.0)."
        ),
        phases=(
            PhaseDesign(
                "future",
                "ideas",
                _("The future we want"),
                _("It is twenty years from now and it went well: what is true?"),
                open_at_start=True,
                minutes=10,
                tables=True,
                vote_budget=0,
                notes=_(
                    "Set the year and the subject. Ask people to write in the present "
                    "tense, as if the future had already arrived: concrete scenes, not "
                    "wishes. Let the tables read each other's cards before moving on."
                ),
            ),
            PhaseDesign(
                "steps-back",
                "ideas",
                _("Steps back"),
                _("Working back from that future: what had to happen before it?"),
                minutes=20,
                tables=True,
                vote_budget=0,
                columns=(
                    ("just-before", _("Just before")),
                    ("halfway", _("Halfway there")),
                    ("first-years", _("The first years")),
                ),
                notes=_(
                    "Work backwards, one column at a time, from the future towards "
                    "today. For each milestone ask: what had to be in place for this to "
                    "happen? Stop when the steps reach what could start within a year."
                ),
            ),
            PhaseDesign(
                "first-steps",
                "ideas",
                _("Our first steps"),
                _("What do we start this year, and who takes it on? Vote for the first moves."),
                minutes=10,
                notes=_(
                    "End the tables. Collect the earliest steps from each table, merge "
                    "the ones that overlap and let the room vote. Ask for a name beside "
                    "each step that wins."
                ),
            ),
        ),
    ),
    "questions": WorkshopDesign(
        name=_("Questions for the presenters"),
        description=_("The room asks and votes up questions before, during and after a talk."),
        phases=(
            PhaseDesign(
                "questions",
                "ideas",
                _("Questions"),
                _("Ask the presenters a question, and vote for those you want answered."),
                open_at_start=True,
                vote_budget=5,
                notes=_(
                    "Share the join link before the session so people can ask in advance. "
                    "During the talk, keep an eye on the votes and give the presenters the "
                    "most voted questions at each pause; hide the ones answered. Leave the "
                    "phase open afterwards for those who watch the recording."
                ),
            ),
        ),
    ),
}
