"""Index build benchmark, and the synthetic talk archive the search and serve benchmarks share.

    .venv/bin/python bench/index_build.py [--sizes 10000 100000] [--seed 7]

Times ``index.writer.rebuild`` over N generated talk documents (the index alone) and
``archive.indexing.rebuild`` over the same talks stored in SQLite (what ``cio-talks reindex``
does: load from the database, build, swap), each in a fresh process so ``ru_maxrss`` is that
step's peak memory. Results are printed and appended to bench/out/index_build.jsonl.

The generated archive (database + index) is kept under bench/out/instance-N-seed/ and reused.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scraper.model import Extraction, Speaker  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


INDUSTRIES = [
    "Health care",
    "Public administration",
    "Financial services",
    "Retail",
    "Manufacturing",
    "Energy and utilities",
    "Transport and logistics",
    "Telecommunications",
    "Pharmaceuticals",
    "Media",
    "Education",
    "IT services",
    "Shipping",
    "Food and agriculture",
    "Construction",
]
FIRST = [
    "Anne", "Søren", "Mette", "Jens", "Kirsten", "Lars", "Hanne", "Peter", "Birgitte", "Henrik",
    "Lone", "Niels", "Camilla", "Morten", "Ida", "Rasmus", "Signe", "Thomas", "Louise", "Jørgen",
    "Marianne", "Anders", "Pia", "Mads", "Karen", "Ole", "Sofie", "Kasper", "Åse", "Bjørn",
]  # fmt: skip
LAST = [
    "Kjærgaard", "Østergaard", "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
    "Johansen", "Møller", "Mortensen", "Lund", "Holm", "Schmidt", "Frederiksen", "Dahl", "Bech",
    "Brandt", "Skov", "Vestergaard", "Friis", "Winther", "Bak", "Lindholm", "Aagaard", "Høj",
]  # fmt: skip
ORG_STEMS = [
    "Nordic", "Danske", "Region", "Copenhagen", "Aarhus", "Baltic", "Jutland", "Zealand",
    "Scandic", "Vestas", "Maersk", "Carlsberg", "Novo", "Lego", "Falck", "Coop", "Arla", "Orsted",
]  # fmt: skip
ORG_KINDS = [
    "Bank", "Hospital", "Municipality", "Insurance", "Logistics", "Energy", "Pharma", "Retail",
    "Telecom", "University", "Shipping", "Foods", "Group", "Systems", "Agency", "Health",
]  # fmt: skip
ROLES = ["CIO", "CTO", "CDO", "IT Director", "Head of IT", "Chief Digital Officer", "IT-chef"]
EN_WORDS = _words(
    "strategy platform data customers change leadership organisation governance cloud "
    "security budget projects portfolio architecture integration experience lessons value "
    "innovation agile teams vendors sourcing patients hospital citizens services analytics "
    "digital transformation legacy systems migration culture talent skills risk compliance "
    "growth efficiency automation operations processes partners ecosystem roadmap journey"
)
DA_WORDS = _words(
    "strategi platform data kunder forandring ledelse organisation styring sikkerhed budget "
    "projekter arkitektur integration erfaringer værdi innovation leverandører patienter "
    "hospital borgere digitalisering systemer kultur kompetencer risiko effektivisering drift "
    "processer samarbejde udvikling fremtid sundhed kommuner regioner løsninger"
)
FILLER_EN = _words("the of and to in for with on how why what we our their a")
FILLER_DA = _words("og i at det en til af på med for som de er vi vores")


def theme_terms() -> dict[str, list[str]]:
    """Theme label → vocabulary terms (the labels and words the site's synonyms know)."""
    from scraper.extract.rules import load_rules
    from scraper.extract.themes import theme_synonyms

    return theme_synonyms(load_rules(None).taxonomy)


_SYLLABLES = _words("ka lo mi ne ru sa te vi bo da fe gu ha ji ko le mo pu ri so ta ve")


def _lexicon(rng: random.Random, size: int) -> list[str]:
    """Made-up words with a natural (Zipf) spread of frequencies, so that, as in real prose,
    most words are rare and a query word matches a few percent of the talks, not half."""
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


def _sentence(rng: random.Random, words: list[str], filler: list[str], n: int) -> str:
    picked = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.35:
            picked.append(rng.choice(filler))
        elif roll < 0.5:
            picked.append(rng.choice(words))
        else:
            picked.append(_LEXICON[bisect.bisect(_ZIPF, rng.random() * _ZIPF[-1])])
    return " ".join(picked).capitalize() + "."


_LEXICON = _lexicon(random.Random(1), 8000)
_ZIPF = list(itertools.accumulate(1.0 / (rank + 20) for rank in range(len(_LEXICON))))


def talk_extractions(n: int, seed: int) -> Iterator[Extraction]:
    """N reproducible synthetic talks: mixed English/Danish, 1–3 themes, 1–2 speakers."""
    rng = random.Random(seed)
    themes = theme_terms()
    labels = sorted(themes)
    orgs = [
        (f"{rng.choice(ORG_STEMS)} {rng.choice(ORG_KINDS)} {i}", rng.sample(INDUSTRIES, 1))
        for i in range(max(100, n // 20))
    ]
    people = [
        (f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.randrange(len(orgs)))
        for _ in range(max(200, n // 3))
    ]
    for i in range(n):
        danish = rng.random() < 0.3
        words, filler = (DA_WORDS, FILLER_DA) if danish else (EN_WORDS, FILLER_EN)
        talk_themes = rng.sample(labels, rng.choice((1, 1, 2, 3)))
        # Abstracts mention a theme's own words, as real pages do.
        mentions = [rng.choice(themes[label]) for label in talk_themes]
        body = [
            _sentence(rng, words, filler, rng.randint(10, 22)) for _ in range(rng.randint(5, 9))
        ]
        for mention in mentions:
            body.insert(
                rng.randrange(len(body) + 1), f"{mention.capitalize()} {rng.choice(words)}."
            )
        speakers = []
        industries: list[str] = []
        for name, org_no in rng.sample(people, rng.choice((1, 1, 1, 2))):
            org, org_industries = orgs[org_no]
            industries.extend(x for x in org_industries if x not in industries)
            speakers.append(
                Speaker(
                    name=name,
                    role=rng.choice(ROLES),
                    organisation=org,
                    bio=_sentence(rng, words, filler, rng.randint(15, 30)),
                    industries=list(org_industries),
                )
            )
        topic_words = [rng.choice(words) for _ in range(rng.randint(2, 5))]
        topic = f"{mentions[0].capitalize()}: {' '.join(topic_words)}"
        day = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(20 * 365))
        yield Extraction(
            source=f"https://cio.example.org/events/{seed}/{i}",
            is_event=True,
            title=f"CIO Talk: {topic}",
            series="CIO Talks",
            topic=topic,
            abstract=" ".join(body),
            date=day.isoformat(),
            location=rng.choice(("Copenhagen", "Frederiksberg", "Aarhus", "Online")),
            language="da" if danish else "en",
            speakers=speakers,
            industries=industries,
            themes=talk_themes,
        )


def plain_documents(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """The generated talks as index documents (the shape ``index.writer`` takes)."""
    for number, ex in enumerate(talk_extractions(n, seed), start=1):
        yield {
            "id": number,
            "url": ex.source,
            "title": ex.title,
            "topic": ex.topic,
            "abstract": ex.abstract,
            "speakers": [s.name for s in ex.speakers],
            "bios": "\n\n".join(s.bio or "" for s in ex.speakers),
            "organisations": [s.organisation for s in ex.speakers if s.organisation],
            "industries": ex.industries,
            "themes": ex.themes,
            "language": ex.language,
            "date": dt.date.fromisoformat(ex.date or "2000-01-01"),
            "series": ex.series,
            "location": ex.location,
        }


def instance_dir(n: int, seed: int) -> Path:
    """Where the generated archive of N talks lives."""
    return OUT / f"instance-{n}-{seed}"


def make_app(instance: Path) -> Any:
    """A production-like app (not TESTING) whose state lives under ``instance``."""
    from archive import create_app

    return create_app(
        {
            "INSTANCE_DIR": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'cio_talks.sqlite3'}",
            "SECRET_KEY": "bench",
        }
    )


def ensure_archive(n: int, seed: int) -> Path:
    """Fill a database with N generated talks (store.upsert) and index them, once; reused."""
    instance = instance_dir(n, seed)
    done = instance / "generated.json"
    if done.exists():
        mark_replica(instance)
        return instance
    loaded = fill_archive(instance, n, seed)
    done.write_text(json.dumps({"talks": n, "seed": seed, "db_fill_s": round(loaded, 1)}))
    return instance


def mark_replica(instance: Path) -> None:
    """Give an archive generated before the index change log its applied sequence, by one
    rebuild now, so a server started on it does not spend its first minute rebuilding."""
    from archive import replica
    from archive.db import engine_of, new_session, upgrade

    app = make_app(instance)
    if replica.applied_seq(app.config["INDEX_DIR"]) is not None:
        return
    with app.app_context():
        upgrade(engine_of())
        with new_session() as session:
            replica.rebuild(session, app.config["INDEX_DIR"])
        engine_of().dispose()


def fill_archive(instance: Path, n: int, seed: int) -> float:
    """Store N generated talks in a new SQLite archive under ``instance`` and index them;
    the seconds the database fill took (tests build their own archive with this)."""
    from archive import replica, store
    from archive.db import engine_of, new_session, upgrade

    instance.mkdir(parents=True, exist_ok=True)
    app = make_app(instance)
    with app.app_context():
        upgrade(engine_of())
        started = time.perf_counter()
        session = new_session()
        for number, ex in enumerate(talk_extractions(n, seed), start=1):
            store.upsert(session, ex, None)
            if number % 1000 == 0:
                session.commit()
                session.close()
                session = new_session()
        session.commit()
        session.close()
        loaded = time.perf_counter() - started
        with new_session() as session:
            replica.rebuild(session, app.config["INDEX_DIR"])
        engine_of().dispose()
    return loaded


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM and Python version, for the results table."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


def peak_mb() -> float:
    """Peak resident memory of this process and its waited-for children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def _one(mode: str, n: int, seed: int) -> dict[str, Any]:
    """One measurement in this process: ``index`` (documents → index) or ``reindex`` (DB)."""
    import tempfile

    from index import writer

    if mode == "index":
        docs = list(plain_documents(n, seed))
        with tempfile.TemporaryDirectory(dir=OUT) as tmp:
            started = time.perf_counter()
            writer.rebuild(Path(tmp) / "index", docs)
            seconds = time.perf_counter() - started
    else:
        from archive import indexing
        from archive.db import new_session

        instance = ensure_archive(n, seed)
        app = make_app(instance)
        with app.app_context(), new_session() as session:
            started = time.perf_counter()
            indexing.rebuild(session, app.config["INDEX_DIR"])
            seconds = time.perf_counter() - started
    return {"mode": mode, "talks": n, "seconds": round(seconds, 1), "peak_mb": peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--modes", nargs="+", default=["index", "reindex"])
    parser.add_argument("--one", nargs=2, metavar=("MODE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(_one(args.one[0], int(args.one[1]), args.seed)))
        return
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    print("| step | talks | seconds | peak MB |\n|---|---:|---:|---:|")
    for n in args.sizes:
        if "reindex" in args.modes:
            ensure_archive(n, args.seed)  # generation is not part of the measurement
        for mode in args.modes:
            cmd = [sys.executable, __file__, "--seed", str(args.seed), "--one", mode, str(n)]
            row = json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)
            row.update(date=stamp, seed=args.seed, machine=machine())
            with (OUT / "index_build.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")
            print(f"| {mode} | {n} | {row['seconds']} | {row['peak_mb']} |", flush=True)


if __name__ == "__main__":
    main()
