"""`{% panels object "slot" %}`: render what later apps registered for this object's page."""

from django import template
from django.utils.safestring import mark_safe

from core.registry import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, obj, slot):
    user = context["request"].user
    parts = []
    for spec in registry.panels_for(obj._meta.label_lower, slot):
        if spec.permission and not user.has_perm(spec.permission):
            continue
        extra = spec.context(obj, page=context) if spec.context else {}
        with context.push(object=obj, **extra):
            parts.append(context.template.engine.get_template(spec.template).render(context))
    return mark_safe("".join(parts))  # rendered by Django templates, which escape


@register.simple_tag(takes_context=True)
def page_panels(context, page, slot):
    """`{% page_panels "finance.dashboard" "projection" %}`: what later apps registered for a page about no one
    object (PanelSpec.model is then the page's name, and its context is called with None)."""
    user = context["request"].user
    parts = []
    for spec in registry.panels_for(page, slot):
        if spec.permission and not user.has_perm(spec.permission):
            continue
        extra = spec.context(None, page=context) if spec.context else {}
        with context.push(**extra):
            parts.append(context.template.engine.get_template(spec.template).render(context))
    return mark_safe("".join(parts))  # rendered by Django templates, which escape
