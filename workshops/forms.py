from django import forms
from django.utils.translation import gettext_lazy as _

from .designs import TEMPLATES


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
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[(key, design.name) for key, design in TEMPLATES.items()],
        initial="open-values",
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
