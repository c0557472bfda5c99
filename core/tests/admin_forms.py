"""Admin change-form data for tests across apps."""


def admin_change_form_data(response, **changes) -> dict:
    """The POST data an admin change page would send unchanged (main form and every inline), with
    `changes` applied: so a test can change one field the way a person would."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            value = field.prepare_value(value) if not isinstance(value, list) else value
            if isinstance(value, list | tuple):
                if value:
                    data[form.add_prefix(name)] = [getattr(v, "pk", v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = getattr(value, "pk", value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        for form in formset.initial_forms:
            add(form)
    data.update(changes)
    return data
