"""The contract status tag, drawn the same way on every page that shows a contract."""

from django import template

from contracts.tables import status_tag

register = template.Library()

register.filter("contract_status_tag", status_tag)
