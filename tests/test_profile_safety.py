"""Safety rules of profile learning: a profile is trusted only as far as its examples vouch.

Small pages of one made-up template, written for these tests: a talk page (one speaker card)
and a listing in the same layout (many cards, many dates).
"""

from __future__ import annotations

import pytest

from scraper.extract import extract, load_rules, matched_profile
from scraper.extract.choose import FieldReport
from scraper.extract.fieldrules import FieldRule
from scraper.extract.learn import GENERIC, OWNED, example, learn, verdict
from scraper.extract.rules import Profile, Rules

TALK = """<html><head><title>{title}</title></head><body class="talk-page">
<nav><a href="/">Home</a></nav>
<h1 class="talk-title">{title}</h1>
<p class="when">{date}</p>
{place}
<div class="speaker-card"><h3 class="speaker-name">{name}</h3>
<p class="speaker-job">{role} at {org}</p></div>
<div class="abstract"><p>{abstract}</p></div>
</body></html>"""

PEOPLE = [
    ("Marit Solberg", "Head of Platforms", "Nordvik Hospital"),
    ("Jonas Ekdahl", "Chief Data Officer", "Harbour Freight Lines"),
    ("Ilse Vermeer", "IT Director", "Polder Water Board"),
    ("Tomas Lindqvist", "CIO", "Fjellstad Municipality"),
    ("Aino Korpela", "Director of Digital", "Lakeside Insurance"),
    ("Rafael Duarte", "VP Engineering", "Costa Grocers"),
]


def talk(i: int, place: str = "") -> bytes:
    name, role, org = PEOPLE[i]
    return TALK.format(
        title=f"Talk number {i}: lessons from the data centre",
        date=f"{10 + i} March 2024",
        place=place,
        name=name,
        role=role,
        org=org,
        abstract=f"How {org} moved its systems, and what the team learned on the way.",
    ).encode()


def fields(i: int, **extra: object) -> dict[str, object]:
    name, role, org = PEOPLE[i]
    return {
        "title": f"Talk number {i}: lessons from the data centre",
        "date": f"2024-03-{10 + i:02d}",
        "speakers": [{"name": name, "role": role, "organisation": org}],
        **extra,
    }


def listing(cards: int) -> bytes:
    """A page of the talk layout that lists many talks, each with its speaker card and date."""
    items = "".join(
        f'<p class="when">{10 + i} March 2024</p><div class="speaker-card">'
        f'<h3 class="speaker-name">{PEOPLE[i][0]}</h3>'
        f'<p class="speaker-job">{PEOPLE[i][1]} at {PEOPLE[i][2]}</p></div>'
        for i in range(cards)
    )
    return (
        '<html><head><title>Upcoming talks</title></head><body class="talk-page">'
        f'<h1 class="talk-title">Upcoming talks</h1>{items}</body></html>'
    ).encode()


def _rules(profile: Profile) -> Rules:
    base = load_rules()
    return Rules(profiles=(profile, *base.profiles), taxonomy=base.taxonomy)


def test_a_rule_that_misses_the_other_example_does_not_own_its_field() -> None:
    # the venue sits in a different element on each example: no rule holds on both
    first = example(talk(0, '<p class="venue">Room 101, Main Building</p>'), "a", {})
    second = example(talk(1, '<div class="room"><b>Hall B</b> East Wing</div>'), "b", {})
    first.fields = fields(0, location="Room 101, Main Building")
    second.fields = fields(1, location="Hall B East Wing")
    learned = learn("t", [first, second])
    assert "location" not in learned.profile.fields
    assert learned.decisions["location"].startswith("the rule misses")


def test_fields_the_page_text_rules_read_right_stay_theirs() -> None:
    examples = [example(talk(i), str(i), fields(i)) for i in (0, 1)]
    generic = [ex.generic for ex in examples]
    assert all(g is not None and g.title == fields(i)["title"] for i, g in enumerate(generic))
    learned = learn("t", examples, keep_strong=False)
    assert learned.decisions["title"] == GENERIC
    assert "title" not in learned.profile.fields


@pytest.mark.parametrize(
    ("weak", "pages", "reproduced", "given", "owned"),
    [
        (True, 1, 1, 1, False),   # positional, one example, the page-text rules read a title
        (False, 1, 1, 1, True),   # the same rule naming its element by a class
        (True, 2, 1, 2, False),   # misses the other example
        (False, 2, 1, 2, False),  # misses the other example, classed or not
        (True, 2, 1, 1, False),   # positional, confirmed on one of two examples only
        (True, 2, 2, 2, False),   # positional: its reading of the pages is not the examples'
    ],
)  # fmt: skip
def test_how_much_evidence_a_rule_needs(
    weak: bool, pages: int, reproduced: int, given: int, owned: bool
) -> None:
    # the examples' true title is not what the page-text rules read, so only evidence decides
    examples = [example(talk(i), str(i), {"title": f"Lessons {i}"}) for i in range(pages)]
    rule = FieldRule(css="h1.talk-title" if not weak else "body > h1")
    report = FieldReport("title", rule, reproduced, given)
    why = verdict("title", rule, report, examples, weak=weak)
    assert (why == OWNED) is owned, why


def _profile_with_cards() -> Profile:
    examples = [example(talk(i), str(i), fields(i)) for i in (0, 1)]
    return learn("t", examples, keep_strong=True).profile


@pytest.mark.parametrize(("cards", "matches"), [(1, True), (2, True), (3, True), (6, False)])
def test_a_page_where_the_speaker_card_repeats_is_not_the_profiles(
    cards: int, matches: bool
) -> None:
    profile = _profile_with_cards()
    assert profile.repeats, "the learned profile records how often its cards repeat"
    page = listing(cards) if cards > 1 else talk(2)
    assert (matched_profile(page, "x", rules=_rules(profile)) == "t") is matches


def test_a_profile_never_turns_a_listing_into_an_event() -> None:
    profile = _profile_with_cards()
    page = listing(6)
    without = extract(page, "x", rules=load_rules())
    taught = extract(page, "x", rules=_rules(profile))
    assert taught.to_dict() == without.to_dict()


def test_a_profile_that_reads_no_core_field_says_nothing_of_is_event() -> None:
    examples = [example(talk(i), str(i), {"abstract": fields(i)["title"]}) for i in (0, 1)]
    profile = learn("t", examples).profile
    assert "speaker.name" in profile.required
    assert "speaker.name" not in profile.fields
    page = listing(2)
    assert matched_profile(page, "x", rules=_rules(profile)) == "t"
    taught = extract(page, "x", rules=_rules(profile))
    assert taught.is_event == extract(page, "x", rules=load_rules()).is_event


def test_repeats_survive_the_profile_file_and_bad_ones_are_refused() -> None:
    profile = _profile_with_cards()
    again = Profile.from_dict(profile.to_dict(), "t")
    assert dict(again.repeats) == dict(profile.repeats)
    with pytest.raises(ValueError, match="repeats"):
        Profile.from_dict({**profile.to_dict(), "repeats": {"div.x": "many"}}, "t")


def test_the_preview_says_which_fields_the_profile_owns() -> None:
    examples = [example(talk(i), str(i), fields(i)) for i in (0, 1)]
    learned = learn("t", examples)
    assert set(learned.decisions) >= {"title", "date", "speaker.name"}
    owned = {f for f, why in learned.decisions.items() if why == OWNED}
    assert owned <= set(learned.profile.fields)
