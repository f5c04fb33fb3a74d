"""Flask-WTF forms: every form carries a CSRF token (checked again on every POST)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, HiddenField, IntegerField, PasswordField,
                     RadioField, SelectField, StringField, TextAreaField)
from wtforms.widgets import HiddenInput
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from server.store.models import BADGE_LEVELS

from .models import MAX_INT, ROLES

try:  # WTForms >= 3.3 deprecates (value, label) tuples
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def options(pairs):
    return [SelectChoice(v, l) for v, l in pairs] if SelectChoice else list(pairs)


def with_ids(form: FlaskForm, prefix: str) -> FlaskForm:
    """HTML ids of the form's own (`prefix-name`) for pages with several forms (ids are unique
    per page); the names, what is posted and checked (the CSRF token too), stay the same."""
    for field in form:
        field.id = f"{prefix}-{field.name}"
        field.label.field_id = field.id
    return form


NOTE_MAX = 1000
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
REASON_MAX = 1000


class LoginForm(FlaskForm):
    email = StringField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class LogoutForm(FlaskForm):
    pass


class VersionedForm(FlaskForm):
    """Carries the item version the moderator saw (compare-and-set on submit)."""

    version = IntegerField(widget=HiddenInput(),
                           validators=[InputRequired(), NumberRange(min=0, max=MAX_INT)])


class ClaimForm(VersionedForm):
    takeover = BooleanField("Take over from the current holder")


class ReleaseForm(VersionedForm):
    pass


class DecisionForm(VersionedForm):
    action = RadioField("Decision", choices=options([
        ("confirm", "Confirm the automatic label"),
        ("override", "Override it with another level"),
        ("clear", "Withdraw an earlier decision (back to the automatic label)"),
    ]), validators=[DataRequired()])
    level = SelectField("Level", choices=options([("", "—")] + [(lv, lv) for lv in BADGE_LEVELS]),
                        validators=[Optional()])
    note = TextAreaField("Public note (shown to readers: \"Reviewed by moderators: …\")",
                         validators=[Length(max=NOTE_MAX)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        note = (self.note.data or "").strip()
        if self.action.data == "override":
            if not self.level.data:
                self.level.errors.append("Choose the level for an override.")
                return False
            if not note:
                self.note.errors.append("An override needs a public note.")
                return False
        return True


class FeedbackForm(VersionedForm):
    analysis_id = IntegerField(widget=HiddenInput(),
                               validators=[InputRequired(), NumberRange(min=1, max=MAX_INT)])
    signal = HiddenField(validators=[DataRequired(), Length(max=64)])
    index = IntegerField(widget=HiddenInput(),
                         validators=[InputRequired(), NumberRange(min=0, max=MAX_INT)])
    verdict = RadioField("Verdict", choices=options([("false_positive", "Wrong (false positive)"),
                                                     ("confirmed", "Right (confirmed)")]),
                         validators=[DataRequired()])
    reason = TextAreaField("Reason", validators=[DataRequired(), Length(min=3, max=REASON_MAX)])


class ModeratorCreateForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(min=3, max=254),
                                            Regexp(EMAIL_RE, message="Not an email address.")])
    role = SelectField("Role", choices=options((r, r) for r in ROLES))
    password = PasswordField("Initial password", validators=[DataRequired(), Length(max=1024)])


class ModeratorUpdateForm(FlaskForm):
    role = SelectField("Role", choices=options((r, r) for r in ROLES))
    active = BooleanField("Active")
    password = PasswordField("New password (leave empty to keep)", validators=[Optional(), Length(max=1024)])


class ApiKeyCreateForm(FlaskForm):
    name = StringField("Client name", validators=[DataRequired(), Length(max=200)])


class ApiKeyRevokeForm(FlaskForm):
    pass
