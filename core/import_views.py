"""One upload page shape for every spreadsheet import."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.views.generic import FormView

from . import outbox
from .imports import ImportFailed, read_table

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file", help_text="A CSV file or an Excel workbook (.xlsx), with a header row."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or an Excel workbook (.xlsx)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 20MB")
        return upload


class ImportUploadView(PermissionRequiredMixin, FormView):
    """Subclasses set `permission_required`, `title`, `columns`, `importer` and `success_url`.

    `importer(table, *, user) -> ImportSummary` validates every row and writes all or nothing.
    The uploaded file is read in memory and never stored.
    """

    form_class = ImportUploadForm
    template_name = "includes/import_page.html"
    title = "Import"
    columns: list[str] = []
    optional_columns: list[str] = []
    breadcrumbs: list[tuple[str, str]] = []
    importer = None

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.read(), upload.name)
            with outbox.watch() as sending:
                summary = type(self).importer(table, user=self.request.user)
        except ImportFailed as failed:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=failed.errors, filename=upload.name)
            )
        messages.success(self.request, f"{upload.name} imported: {summary}.")
        if sending.failed:
            messages.warning(self.request, outbox.DELAYED_MESSAGE.format(job="Updating the statuses"))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, columns=self.columns, optional_columns=self.optional_columns,
            crumbs=self.breadcrumbs, **kwargs,
        )
