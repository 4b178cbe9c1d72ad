"""Learning a site profile from example pages: the pure learner on the fixture sites.

The fixture sites were written by a helper who never saw the extractor: four templates, six
pages each. Before any learning rule was tuned on them, learning from two pages brought the
other four pages of each template from 0.73 to 0.86 overall; the floors below are the scores
measured after that work (docs/profiles.md has the table).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from profilekit import SITES, TEMPLATES, TRUTH, example_fields, pages_of
from scoring import overall, score_corpus

from scraper.extract import extract, load_rules, matched_profile
from scraper.extract.fieldrules import FieldRule, text_value
from scraper.extract.induce import complexity, stable
from scraper.extract.learn import example, learn
from scraper.extract.rules import Profile, Rules

#: Measured score of each template's pages 3-6 after learning from pages 1 and 2.
FLOORS = {
    "ciokongress_wp_de": 1.0,
    "hollingford_drupal": 1.0,
    "limfjord_typo3_da": 0.981,
    "meridian_insights": 1.0,
}


def _learned(template: str, count: int = 2) -> Profile:
    names = pages_of(template)[:count]
    examples = [
        example((SITES / n).read_bytes(), (SITES / n).as_uri(), example_fields(TRUTH[n]))
        for n in names
    ]
    return learn(template.replace("_", "-"), examples).profile


def _rules(*profiles: Profile) -> Rules:
    base = load_rules()
    return Rules(profiles=(*profiles, *base.profiles), taxonomy=base.taxonomy)


def _answers(names: list[str], rules: Rules) -> dict[str, dict]:
    return {
        n: extract((SITES / n).read_bytes(), (SITES / n).as_uri(), rules=rules).to_dict()
        for n in names
    }


@pytest.fixture(scope="module")
def learned() -> dict[str, Profile]:
    return {t: _learned(t) for t in TEMPLATES}


@pytest.mark.parametrize("template", TEMPLATES)
def test_two_pages_teach_the_rest_of_their_template(
    template: str, learned: dict[str, Profile]
) -> None:
    rest = pages_of(template)[2:]
    truth = {n: TRUTH[n] for n in rest}
    before = overall(score_corpus(_answers(rest, load_rules()), truth))
    after = overall(score_corpus(_answers(rest, _rules(learned[template])), truth))
    assert after >= FLOORS[template]
    assert after > before


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_profile_leaves_other_templates_untouched(
    template: str, learned: dict[str, Profile]
) -> None:
    others = [n for n in TRUTH if not n.startswith(f"{template}/")]
    rules = _rules(learned[template])
    assert _answers(others, rules) == _answers(others, load_rules())
    for name in others:
        body = (SITES / name).read_bytes()
        assert matched_profile(body, (SITES / name).as_uri(), rules=rules) is None


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_signature_recognises_every_page_of_the_template(
    template: str, learned: dict[str, Profile]
) -> None:
    rules = _rules(learned[template])
    for name in pages_of(template):
        body = (SITES / name).read_bytes()
        assert matched_profile(body, "file:///x.html", rules=rules) == learned[template].name


def test_a_learned_profile_names_no_host(learned: dict[str, Profile]) -> None:
    for profile in learned.values():
        assert profile.hosts == ()
        assert profile.signature


def test_one_page_is_enough_for_a_consistent_template() -> None:
    profile = _learned("meridian_insights", count=1)
    rest = pages_of("meridian_insights")[1:]
    truth = {n: TRUTH[n] for n in rest}
    assert overall(score_corpus(_answers(rest, _rules(profile)), truth)) >= 0.95


def test_a_profile_survives_its_json(learned: dict[str, Profile]) -> None:
    for profile in learned.values():
        data = json.loads(json.dumps(profile.to_dict()))
        assert Profile.from_dict(data, default_name="x") == profile


def test_learning_needs_an_example() -> None:
    with pytest.raises(ValueError, match="at least one example"):
        learn("empty", [])


def test_a_field_the_page_does_not_show_gets_no_rule(tmp_path: Path) -> None:
    name = pages_of("hollingford_drupal")[0]
    fields = {**example_fields(TRUTH[name]), "location": "A room that is not on the page"}
    ex = example((SITES / name).read_bytes(), "file:///p.html", fields)
    result = learn("x", [ex])
    assert "location" not in result.profile.fields
    assert any(w.startswith("location:") for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "rule", "value"),
    [
        ("Speaker: Anna Berg", FieldRule(css="p", after="Speaker:"), "Anna Berg"),
        ("Anna Berg (keynote)", FieldRule(css="p", before="(keynote)"), "Anna Berg"),
        (
            "Anna Berg, CIO, Region Nord",
            FieldRule(css="p", split=", ", parts=(-1, None)),
            "Region Nord",
        ),
        (
            "Anna Berg, Head of IT, Region Nord",
            FieldRule(css="p", split=", ", parts=(1, -1)),
            "Head of IT",
        ),
        ("Anna Berg (journalist)", FieldRule(css="p", split=" (", parts=(1, 2)), "journalist"),
        ("Anna Berg", FieldRule(css="p", after="Speaker:"), None),
        ("Anna Berg", FieldRule(css="p", split=", ", parts=(1, 2)), None),
    ],
)
def test_text_cuts(text: str, rule: FieldRule, value: str | None) -> None:
    assert text_value(text, rule) == value


@pytest.mark.parametrize(
    ("name", "kept"),
    [("speaker__name", True), ("node-1234", False), ("post-5678", False), ("lg:col-span-8", False),
     ("event-date-badge", True), ("a1b2c3d4e5f6", False)],
)  # fmt: skip
def test_record_numbers_never_enter_a_selector(name: str, kept: bool) -> None:
    assert stable(name) is kept


VALIDATION = SITES.parent / "sites_validation"
#: The validation sites (written blind by another helper, after the learner was built): the
#: first, blind measurement gave 0.757 → 0.958 overall. One rule since came from reading their
#: misses (a long literal beside a value costs more than a split), so they are no longer blind;
#: the floors are the scores measured after it: template → (page-text rules alone, after
#: learning from pages 1 and 2), 2026-12-06; the page-text figures of two sites re-measured
#: 2026-12-07 after the midday speaker rules read more of them untaught (0.846 → 0.923,
#: 0.527 → 0.545), and the last again 2026-12-07 late (0.545 → 1.0) after a page builder's
#: widgets (all but its loops of other posts) stopped counting as a blog's sidebar widgets.
VALIDATION_MEASURED = {
    "en_agendahub_sessions": (0.882, 0.960),
    "en_consultancy_webinars": (0.923, 1.0),
    "fr_universite_seminaires": (0.782, 0.963),
    "se_itledarforeningen": (1.0, 0.963),
}


@pytest.mark.parametrize("template", sorted(VALIDATION_MEASURED))
def test_validation_sites_keep_their_measured_scores(template: str) -> None:
    truth_all = json.loads((VALIDATION / "truth.json").read_text(encoding="utf-8"))
    names = sorted(n for n in truth_all if n.startswith(f"{template}/"))
    examples = [
        example(
            (VALIDATION / n).read_bytes(), (VALIDATION / n).as_uri(), example_fields(truth_all[n])
        )
        for n in names[:2]
    ]
    profile = learn(template, examples).profile
    rest = names[2:]
    truth = {n: truth_all[n] for n in rest}

    def score(rules: Rules) -> float:
        answers = {
            n: extract(
                (VALIDATION / n).read_bytes(), (VALIDATION / n).as_uri(), rules=rules
            ).to_dict()
            for n in rest
        }
        return overall(score_corpus(answers, truth))

    without, taught = VALIDATION_MEASURED[template]
    assert score(load_rules()) == pytest.approx(without, abs=0.001)
    assert score(_rules(profile)) >= taught


@pytest.mark.parametrize(
    ("rule", "cost"),
    [
        (FieldRule(css="p"), 0),
        (FieldRule(css="p", line=1), 1),
        (FieldRule(css="p", after="Speaker:"), 2),
        (FieldRule(css="p", after="Om oplægsholderen"), 2),
        (FieldRule(css="p", split=", ", parts=(0, 1)), 3),
        (FieldRule(css="p", before="(Centre hospitalier de Saint-Aubin)"), 4),
    ],
)
def test_a_long_literal_costs_more_than_a_split(rule: FieldRule, cost: int) -> None:
    assert complexity(rule) == cost


def test_a_second_speaker_is_read_though_the_examples_had_one() -> None:
    profile = _learned("limfjord_typo3_da")
    two = next(n for n in pages_of("limfjord_typo3_da")[2:] if len(TRUTH[n]["speakers"]) == 2)
    got = extract((SITES / two).read_bytes(), (SITES / two).as_uri(), rules=_rules(profile))
    assert {s.name for s in got.speakers} == {s["name"] for s in TRUTH[two]["speakers"]}
    assert "speaker" in profile.fields
