"""A select box rendered in Python: the register's provider filter has hundreds of options, and
Django's per-option widget templates cost ~40 µs each."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = "" if value is None else str(value)
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            options.append(
                f'<option value="{conditional_escape(key)}"{" selected" if key == selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(options)))
