"""Tables for the general rules on a page's own facts (its last update) and on the talk's
title, place and kind: each row a fact of a language or of the web, in invented words, not a
phrase of one page."""

from __future__ import annotations

import pytest

from scraper.extract.generic import last_updated_of


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # the label and its date on one line, in the words of several languages
        (["Dernière modification : 04.11.2025"], "2025-11-04"),
        (["zuletzt verändert: 15.01.2026 09:41"], "2026-01-15"),
        (["Página atualizada em 20-02-2025"], "2025-02-20"),
        (["Pagina aggiornata il 3 marzo 2025"], "2025-03-03"),
        (["Página actualizada el 9 de mayo de 2024"], "2024-05-09"),
        (["Laatst aangepast op 2 juni 2024"], "2024-06-02"),
        # a definition list or a two-cell row: the label alone, its date on the next line
        (["Date modified / Date de modification :", "2024-05-21"], "2024-05-21"),
        (["Sidst opdateret", "12. marts 2024"], "2024-03-12"),
        (["Senast ändrad:", "7 oktober 2023"], "2023-10-07"),
        # a label followed by something that is no date says nothing
        (["Updated", "Speakers"], None),
        # a long line that mentions an update is no label standing alone
        (["We updated the programme with new sessions and speakers for the autumn", "2024"],
         None),
    ],
)  # fmt: skip
def test_the_pages_last_update(lines: list[str], want: str | None) -> None:
    assert last_updated_of(lines) == want
