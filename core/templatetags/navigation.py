"""`{% main_navigation as items %}`: the links the apps registered for the main navigation, for this person."""

from django import template

from core.registry import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    return registry.nav_items_for(context["user"])
