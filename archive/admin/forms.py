"""The admin forms (Flask-WTF): each renders a CSRF token and validates its own fields.

Labels and validation messages are lazy translations, so a form declared at import time
speaks the interface language of the request that draws it. WTForms ships no Danish, so
the validators used here carry their messages (WTForms' own English words) as msgids.
"""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from archive.admin.wording import FIELDS


def required() -> DataRequired:
    """A field that must be filled in."""
    return DataRequired(message=lazy_gettext("This field is required."))


def at_most(characters: int) -> Length:
    """A field of at most ``characters`` characters."""
    message = lazy_gettext("Field cannot be longer than %(max)d characters.")
    return Length(max=characters, message=message)


class LoginForm(FlaskForm):
    """Name and password."""

    name = StringField(
        lazy_gettext("Name"),
        validators=[required(), at_most(100)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        lazy_gettext("Password"),
        validators=[required(), at_most(1000)],
        render_kw={"autocomplete": "current-password"},
    )


class LogoutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST."""


class ActionForm(FlaskForm):
    """A button that changes something (start a run, undo, hide): the CSRF token only."""


class StartRunForm(FlaskForm):
    """Which background run to start."""

    kind = SelectField(
        lazy_gettext("Run"),
        choices=[
            SelectChoice("scrape", lazy_gettext("Scrape the configured sources")),
            SelectChoice("reextract", lazy_gettext("Re-extract from the archive (no network)")),
            SelectChoice("reindex", lazy_gettext("Rebuild the search index")),
        ],
    )


class SourceForm(FlaskForm):
    """A named source: only http(s) URLs on allowed hosts pass (checked in the view)."""

    name = StringField(lazy_gettext("Name"), validators=[required(), at_most(64)])
    url = StringField(
        lazy_gettext("URL"),
        validators=[
            required(),
            URL(require_tld=False, message=lazy_gettext("Invalid URL.")),
            at_most(2000),
        ],
    )
    enabled = BooleanField(lazy_gettext("Enabled"), default=True)
    max_pages = IntegerField(
        lazy_gettext("Max pages"),
        validators=[
            Optional(),
            NumberRange(min=1, message=lazy_gettext("Number must be at least %(min)s.")),
        ],
    )
    allow = TextAreaField(lazy_gettext("Allow patterns (one regular expression a line)"))
    deny = TextAreaField(lazy_gettext("Deny patterns (one regular expression a line)"))
    sitemap = BooleanField(lazy_gettext("Read the host's sitemaps"))


class SpeakerForm(FlaskForm):
    """A speaker's name and biography."""

    name = StringField(lazy_gettext("Name"), validators=[required(), at_most(300)])
    bio = TextAreaField(lazy_gettext("Biography"))


class MergeForm(FlaskForm):
    """The speaker to merge this one into (id or name)."""

    into = StringField(lazy_gettext("Merge into (speaker id or name)"), validators=[required()])


class UndoForm(FlaskForm):
    """Undo the correction of one field."""

    field = HiddenField(validators=[required()])


#: Talk fields edited in a text area rather than a one-line input.
LONG_FIELDS = frozenset({"title", "topic", "abstract", "location"})
#: Talk fields that hold lists, edited as comma-separated text.
LIST_FIELDS = frozenset({"industries", "themes"})


def _talk_form() -> type[FlaskForm]:
    """A form with one input per overridable talk field (the store's TALK_FIELDS)."""
    from archive.store import TALK_FIELDS

    attrs: dict[str, object] = {}
    for name in TALK_FIELDS:
        field = FIELDS.get(name, name.replace("_", " ").capitalize())
        label: object = field
        if name in LIST_FIELDS:
            label = lazy_gettext("%(field)s (comma-separated)", field=field)
        elif name in ("date", "last_updated"):
            label = lazy_gettext("%(field)s (YYYY-MM-DD)", field=field)
        elif name in ("start_time", "end_time"):
            label = lazy_gettext("%(field)s (HH:MM)", field=field)
        kind = TextAreaField if name in LONG_FIELDS else StringField
        attrs[name] = kind(label)
    return type("TalkForm", (FlaskForm,), attrs)


TalkForm = _talk_form()


class AliasForm(FlaskForm):
    """Another spelling of a speaker's name: pages that spell it so find this speaker."""

    alias = StringField(lazy_gettext("Also known as"), validators=[required(), at_most(300)])


class OrganisationForm(FlaskForm):
    """An organisation's name and the industries an admin sets for it."""

    name = StringField(lazy_gettext("Name"), validators=[required(), at_most(300)])
    industries = StringField(
        lazy_gettext("Industries (comma-separated)"), validators=[at_most(2000)]
    )


class OrganisationMergeForm(FlaskForm):
    """The organisation to merge this one into (id or name)."""

    into = StringField(
        lazy_gettext("Merge into (organisation id or name)"), validators=[required(), at_most(300)]
    )
