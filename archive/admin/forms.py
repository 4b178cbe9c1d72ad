"""The admin forms (Flask-WTF): each renders a CSRF token and validates its own fields."""

from __future__ import annotations

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


class LoginForm(FlaskForm):
    """Name and password."""

    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=100)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class LogoutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST."""


class ActionForm(FlaskForm):
    """A button that changes something (start a run, undo, hide): the CSRF token only."""


class StartRunForm(FlaskForm):
    """Which background run to start."""

    kind = SelectField(
        "Run",
        choices=[
            SelectChoice("scrape", "Scrape the configured sources"),
            SelectChoice("reextract", "Re-extract from the archive (no network)"),
            SelectChoice("reindex", "Rebuild the search index"),
        ],
    )


class SourceForm(FlaskForm):
    """A named source: only http(s) URLs on allowed hosts pass (checked in the view)."""

    name = StringField("Name", validators=[DataRequired(), Length(max=64)])
    url = StringField("URL", validators=[DataRequired(), URL(require_tld=False), Length(max=2000)])
    enabled = BooleanField("Enabled", default=True)
    max_pages = IntegerField("Max pages", validators=[Optional(), NumberRange(min=1)])
    allow = TextAreaField("Allow patterns (one regular expression a line)")
    deny = TextAreaField("Deny patterns (one regular expression a line)")
    sitemap = BooleanField("Read the host's sitemaps")


class SpeakerForm(FlaskForm):
    """A speaker's name and biography."""

    name = StringField("Name", validators=[DataRequired(), Length(max=300)])
    bio = TextAreaField("Biography")


class MergeForm(FlaskForm):
    """The speaker to merge this one into (id or name)."""

    into = StringField("Merge into (speaker id or name)", validators=[DataRequired()])


class UndoForm(FlaskForm):
    """Undo the correction of one field."""

    field = HiddenField(validators=[DataRequired()])


#: Talk fields edited in a text area rather than a one-line input.
LONG_FIELDS = frozenset({"title", "topic", "abstract", "location"})
#: Talk fields that hold lists, edited as comma-separated text.
LIST_FIELDS = frozenset({"industries", "themes"})


def _talk_form() -> type[FlaskForm]:
    """A form with one input per overridable talk field (the store's TALK_FIELDS)."""
    from archive.store import TALK_FIELDS

    attrs: dict[str, object] = {}
    for name in TALK_FIELDS:
        label = name.replace("_", " ").capitalize()
        if name in LIST_FIELDS:
            label += " (comma-separated)"
        elif name in ("date", "last_updated"):
            label += " (YYYY-MM-DD)"
        elif name in ("start_time", "end_time"):
            label += " (HH:MM)"
        kind = TextAreaField if name in LONG_FIELDS else StringField
        attrs[name] = kind(label)
    return type("TalkForm", (FlaskForm,), attrs)


TalkForm = _talk_form()


class AliasForm(FlaskForm):
    """Another spelling of a speaker's name: pages that spell it so find this speaker."""

    alias = StringField("Also known as", validators=[DataRequired(), Length(max=300)])


class OrganisationForm(FlaskForm):
    """An organisation's name and the industries an admin sets for it."""

    name = StringField("Name", validators=[DataRequired(), Length(max=300)])
    industries = StringField("Industries (comma-separated)", validators=[Length(max=2000)])


class OrganisationMergeForm(FlaskForm):
    """The organisation to merge this one into (id or name)."""

    into = StringField(
        "Merge into (organisation id or name)", validators=[DataRequired(), Length(max=300)]
    )
