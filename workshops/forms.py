from datetime import date

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .designs import DESIGNS, WorkshopDesign
from .text import available_time_zones


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class WorkshopCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    # Offered as a list of the designs, each with its one-line description (the page
    # pairs each radio with its design: `design_choices`).
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[(key, design.name) for key, design in DESIGNS.items()],
        initial="open-values",
        widget=forms.RadioSelect,
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    # Filled by static/js/facilitate.js with the browser's zone: the report and the
    # exports tell times in it.
    time_zone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_time_zone(self) -> str:
        # A hidden field nobody can correct: a browser that sent no zone, or one this
        # server does not know, gets UTC rather than an error the facilitator cannot see.
        zone = self.cleaned_data["time_zone"]
        return zone if zone in available_time_zones() else "UTC"

    def design_choices(self) -> list[tuple[BoundWidget, WorkshopDesign]]:
        """Each design's radio, with the design it picks (in DESIGNS' order)."""
        return list(zip(self["template"], DESIGNS.values(), strict=True))


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("facilitator", _("Co-facilitator")), ("organiser", _("Organiser"))],
    )


class RetentionForm(forms.Form):
    delete_after = forms.DateField(
        label=_("Delete on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_delete_after(self) -> date | None:
        day = self.cleaned_data["delete_after"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day from tomorrow on."))
        return day
