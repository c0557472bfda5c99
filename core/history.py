"""One history page for every audited record (django-simple-history): who changed what, and when.

Figures never come from the history: a figure as at a day is worked out from the records as they are now, each
fact counted by its own date (core.periods, "Figures as at a day")."""


from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from .registry import registry
from .suppression import MARKER


def history_rows(instance, *, hidden_fields=frozenset()):
    """Each historical version newest first, with the fields that changed from the version before.
    The old and new values of `hidden_fields` show as [c] (small numbers this person may not see)."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = []
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        if older is None:
            changes = []
        else:
            delta = newer.diff_against(older)
            changes = [
                {
                    "field": instance._meta.get_field(c.field).verbose_name,
                    "old": MARKER if c.field in hidden_fields else c.old,
                    "new": MARKER if c.field in hidden_fields else c.new,
                }
                for c in delta.changes
            ]
        rows.append({"record": newer, "changes": changes})
    return rows


# Strategies, actions and reports were in the `commissioning` app until it became the project package.
LEGACY_APP_LABELS = {
    "commissioning": {
        **dict.fromkeys(["committee", "meeting", "strategy", "priority", "action", "actionupdate"], "plans"),
        **dict.fromkeys(["reportrun", "reportsubscription"], "reports"),
    }
}


def record_history(request, app_label, model_name, pk):
    moved_to = LEGACY_APP_LABELS.get(app_label, {}).get(model_name)
    if moved_to:
        return redirect("record_history", app_label=moved_to, model_name=model_name, pk=pk, permanent=True)
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    if not hasattr(model, "history"):
        raise Http404
    if not request.user.has_perm(f"{app_label}.view_{model._meta.model_name}"):
        raise PermissionDenied
    try:
        instance = model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    return render(
        request,
        "core/history.html",
        {
            "instance": instance,
            "verbose_name": model._meta.verbose_name,
            "rows": history_rows(instance, hidden_fields=_hidden_fields(instance, request.user)),
            "back_url": instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else None,
        },
    )


def _hidden_fields(instance, user) -> set[str]:
    redaction = registry.history_redactions.get(instance._meta.label_lower)
    return redaction.fields(instance=instance, user=user) if redaction else set()
