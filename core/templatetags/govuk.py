"""Template helpers for GOV.UK Design System markup."""

from django import forms, template
from django.utils.html import format_html

from core.fields import DateInputWidget, date_parts_in_error
from core.formatting import format_money

register = template.Library()

_WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


def _css_class(widget, has_error: bool) -> str:
    css = next((c for widget_type, c in _WIDGET_CLASSES.items() if isinstance(widget, widget_type)), "govuk-input")
    if has_error:
        css += {"govuk-select": " govuk-select--error", "govuk-textarea": " govuk-textarea--error",
                "govuk-file-upload": " govuk-file-upload--error", "govuk-input": " govuk-input--error"}.get(css, "")
    width = getattr(widget, "govuk_width", None) or widget.attrs.get("data-width")
    if width and css.startswith("govuk-input"):
        css += f" govuk-input--width-{width}"
    return css


@register.simple_tag
def govuk_widget(bound_field):
    """Render a bound field's widget with GOV.UK classes and hint/error described-by ids."""
    widget = bound_field.field.widget
    attrs = {"class": _css_class(widget, bool(bound_field.errors))}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_choice(choice, kind):
    """One radio or checkbox of a multiple-choice field, with GOV.UK's input class (`kind`: radios|checkboxes)."""
    attrs = dict(choice.data.get("attrs") or {})
    attrs["class"] = f"govuk-{kind}__input"
    choice.data["attrs"] = attrs
    return choice.tag()


@register.simple_tag
def rag_tag(status: str, label: str = ""):
    """A GOV.UK tag for a RAG or status value: colour is never the only signal, the word is always shown."""
    colours = {
        "red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green",
        "no_data": "govuk-tag--grey", "no_target": "govuk-tag--grey",
    }
    text = label or str(status).replace("_", " ").capitalize()
    return format_html('<strong class="govuk-tag app-rag {}">{}</strong>', colours.get(status, "govuk-tag--grey"), text)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_multi_choice(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def choice_kind(bound_field) -> str:
    return "radios" if bound_field.field.widget.input_type == "radio" else "checkboxes"


@register.filter
def is_date_input(bound_field) -> bool:
    return isinstance(bound_field.field.widget, DateInputWidget)


@register.filter
def date_parts(bound_field) -> list[dict]:
    """The day, month and year boxes of a GOV.UK date input, with what was typed and whether each is in error."""
    value = bound_field.value()
    if not isinstance(value, list | tuple):
        value = bound_field.field.widget.decompress(value)
    in_error = date_parts_in_error(bound_field.errors)
    return [
        {"name": f"{bound_field.html_name}_{part}", "id": f"{bound_field.auto_id}_{part}", "label": part.capitalize(),
         "value": text or "", "width": 4 if part == "year" else 2, "error": part in in_error}
        for part, text in zip(("day", "month", "year"), value, strict=True)
    ]


@register.filter
def error_anchor(bound_field) -> str:
    """Where an error summary link should land: the first box of a date in error, the first radio or checkbox
    of a group, else the input."""
    if is_date_input(bound_field):
        return f"{bound_field.auto_id}_{(date_parts_in_error(bound_field.errors) or ['day'])[0]}"
    return f"{bound_field.auto_id}_0" if is_multi_choice(bound_field) else bound_field.auto_id


@register.filter
def money(value, places=0):
    """{{ value|money }} whole pounds, {{ value|money:2 }} with pence for unit prices, {{ value|money:"000" }} in
    thousands for a column headed £000 (core.formatting.format_money)."""
    if places == "000":
        return format_money(value, thousands=True)
    return format_money(value, places=int(places))


# Labels that start with a verb or preposition read badly after "Enter the": quote those instead.
_NOT_A_NOUN = {"takes", "ends", "starts", "figures", "for", "from", "to", "at", "on", "is", "are", "has", "will",
               "when", "which", "what", "how", "who", "your", "the", "a", "an"}


def required_message(bound_field) -> str:
    """GOV.UK's "Enter the value" / "Select the provider" for a required field left empty, from its label."""
    field = bound_field.field
    verb = "Select" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField) else "Enter"
    label = str(bound_field.label or bound_field.name).strip().rstrip(":")
    first = label.split()[0].lower() if label else ""
    if first in _NOT_A_NOUN:
        return f"{verb} ‘{label}’"
    return f"{verb} the {label[0].lower()}{label[1:]}"


@register.filter
def govuk_errors(bound_field) -> list[str]:
    """The field's errors, with Django's "This field is required." said as what to enter."""
    default = str(forms.Field.default_error_messages["required"])
    return [required_message(bound_field) if str(e) == default else str(e) for e in bound_field.errors]


@register.filter
def page_numbers(page) -> list[int | None]:
    """The page links GOV.UK's pagination shows: first, last, the current page and its neighbours; None for a gap."""
    return [None if n == page.paginator.ELLIPSIS else n
            for n in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)]
