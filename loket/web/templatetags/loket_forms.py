"""Accessible form fields: a label on every input, the hint and the errors beside the field
and linked to it with aria-describedby, aria-invalid on an invalid field, groups of
checkboxes and radio buttons in a fieldset with a legend."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()

GROUP_WIDGETS = (forms.CheckboxSelectMultiple, forms.RadioSelect)


@register.inclusion_tag("web/includes/field.html")
def field(bound: forms.BoundField, described: str = "") -> dict[str, Any]:
    widget = bound.field.widget
    field_id = bound.auto_id or f"id_{bound.html_name}"
    hint_id = f"{field_id}-hint" if bound.help_text else ""
    error_id = f"{field_id}-error" if bound.errors else ""
    describedby = " ".join(i for i in (hint_id, error_id, described) if i)
    attrs: dict[str, Any] = {}
    if describedby:
        attrs["aria-describedby"] = describedby
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if bound.field.required:
        attrs["required"] = True
    is_group = isinstance(widget, GROUP_WIDGETS)
    options = []
    if is_group:
        selected = bound.value() or []
        if not isinstance(selected, list | tuple):
            selected = [selected]
        selected = {str(v) for v in selected}
        kind = "radio" if isinstance(widget, forms.RadioSelect) else "checkbox"
        for index, (value, label) in enumerate(bound.field.choices):
            if value == "":
                continue
            options.append({"id": f"{field_id}_{index}", "value": value, "label": label,
                            "checked": str(value) in selected, "type": kind})
    return {
        "bound": bound,
        "field_id": field_id,
        "hint_id": hint_id,
        "error_id": error_id,
        "describedby": describedby,
        "is_group": is_group,
        "options": options,
        "widget_html": "" if is_group else bound.as_widget(attrs=attrs),
    }
