"""One upload page shape for every spreadsheet import: check first, then save on confirmation."""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.views.generic import FormView, ListView

from . import outbox
from .holds import hold_drop, hold_get, hold_put
from .import_jobs import CHECKED, import_job_get, import_job_queue
from .imports import ImportFailed, dry_run, read_table, rows_more_than
from .models import ImportRecord
from .services import import_record_create

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# How long a checked file waits for confirmation, held for the person (core/holds.py) under the import and the
# file's SHA-256.
CHECK_SECONDS = 30 * 60


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file", help_text="A CSV file or an Excel workbook (.xlsx), with a header row."
    )
    accepted = (".csv", ".xlsx")
    accepted_message = "The selected file must be a CSV or an Excel workbook (.xlsx)"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.accepted):
            raise forms.ValidationError(self.accepted_message)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 20MB")
        return upload


class WorkbookUploadForm(ImportUploadForm):
    file = forms.FileField(label="Upload a workbook",
                           help_text="An Excel workbook (.xlsx) with one sheet for each part.")
    accepted = (".xlsx",)
    accepted_message = "The selected file must be an Excel workbook (.xlsx)"


class ImportUploadView(PermissionRequiredMixin, FormView):
    """Subclasses set `permission_required`, `title`, `columns`, `importer`, `area`, `kind` and `success_url`.

    `importer(parsed, *, user) -> ImportSummary` validates every row and writes all or nothing. The first
    post checks the file (the import runs and is rolled back) and shows what would change; the second
    (`confirm`, the file's hash) imports it for real and records the import.

    A file of more than IMPORT_BACKGROUND_ROWS rows is checked, then imported, by the worker (core/import_jobs.py):
    the post only holds the file and queues the job, and the page (`?job=` the file's hash) shows how far it has got
    until the result is there.
    """

    form_class = ImportUploadForm
    template_name = "includes/import_page.html"
    title = "Import"
    columns: list[str] = []
    optional_columns: list[str] = []
    breadcrumbs: list[tuple[str, str]] = []
    importer = None
    area = ""
    kind = ""
    sheets: list[str] = []  # for a workbook of several sheets

    def read(self, data: bytes, name: str):
        return read_table(data, name)

    def _hold_key(self, digest: str) -> str:
        return f"import-check:{self.area}:{self.kind}:{digest}"

    def get(self, request, *args, **kwargs):
        if "job" in request.GET:
            return self.job_page(request.GET["job"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request.POST.get("confirm", ""))
        return super().post(request, *args, **kwargs)

    def _run(self, data: bytes, name: str):
        parsed = self.read(data, name)
        return type(self).importer(parsed, user=self.request.user)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        digest = hashlib.sha256(data).hexdigest()
        if rows_more_than(data, upload.name, settings.IMPORT_BACKGROUND_ROWS):
            return self._queue(digest, name=upload.name, data=data, confirm=False)
        try:
            summary = dry_run(lambda: self._run(data, upload.name))
        except ImportFailed as failed:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=failed.errors, filename=upload.name)
            )
        hold_put(user=self.request.user, key=self._hold_key(digest), value=(upload.name, data), seconds=CHECK_SECONDS)
        return self.render_to_response(self.get_context_data(
            form=form, checked=summary, filename=upload.name, digest=digest,
            nothing_to_do=not (summary.created or summary.updated),
        ))

    def _queue(self, digest: str, *, name: str, data: bytes | None, confirm: bool):
        with outbox.watch() as sending:
            import_job_queue(user=self.request.user, path=self.request.path_info, file_key=self._hold_key(digest),
                             filename=name, data=data, confirm=confirm, seconds=CHECK_SECONDS)
        if sending.failed:
            job = "Saving the import" if confirm else "Checking the file"
            messages.warning(self.request, outbox.DELAYED_MESSAGE.format(job=job))
        return redirect(f"{self.request.path}?job={digest}")

    def _expired(self):
        form = self.get_form_class()(data={})
        form.is_valid()  # bound, so the error summary shows; the message replaces "select a file"
        form.errors["file"] = form.error_class(
            ["The check has expired or the file was not found: upload the file again"])
        return self.render_to_response(self.get_context_data(form=form))

    def _job(self, digest: str):
        if not (digest.isalnum() and len(digest) == 64):
            return None
        return import_job_get(user=self.request.user, file_key=self._hold_key(digest))

    def job_page(self, digest: str):
        """How far the worker has got with this person's file; once checked, the same result as a check made in
        the request, with the same button to save it."""
        job = self._job(digest)
        if job is None:
            return self._expired()
        context = {"form": self.get_form_class()(), "job": job, "filename": job.filename, "digest": digest,
                   "success_url": self.get_success_url()}
        if job.stage == CHECKED:
            context.update(checked=job.summary,
                           nothing_to_do=not (job.summary.created or job.summary.updated))
        elif job.errors:
            context.update(import_errors=job.errors)
        return self.render_to_response(self.get_context_data(**context))

    def confirm(self, digest: str):
        valid = digest.isalnum() and len(digest) == 64
        held = hold_get(user=self.request.user, key=self._hold_key(digest)) if valid else None
        if held is None:
            return self._expired()
        name, data = held
        job = self._job(digest)
        if job is not None:  # checked by the worker: saved by the worker too
            if job.stage == CHECKED:
                return self._queue(digest, name=name, data=None, confirm=True)
            return redirect(f"{self.request.path}?job={digest}")
        try:
            with outbox.watch() as sending:
                summary = self._run(data, name)
        except ImportFailed as failed:  # the data changed since the check
            return self.render_to_response(
                self.get_context_data(form=self.get_form_class()(), import_errors=failed.errors, filename=name)
            )
        hold_drop(user=self.request.user, key=self._hold_key(digest))
        import_record_create(area=self.area, kind=self.kind, filename=name, data=data, summary=summary,
                             user=self.request.user)
        messages.success(self.request, " ".join([f"{name} imported: {summary}.", *summary.notes]))
        if sending.failed:
            messages.warning(self.request, outbox.DELAYED_MESSAGE.format(job="Updating the statuses"))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, columns=self.columns, optional_columns=self.optional_columns, sheets=self.sheets,
            crumbs=self.breadcrumbs, **kwargs,
        )


class ImportRecordListView(PermissionRequiredMixin, ListView):
    """The imports made in one area: who, when, which file and what it did. Subclasses set `area`,
    `permission_required`, `title` and `breadcrumbs`."""

    template_name = "includes/import_records.html"
    paginate_by = 50
    area = ""
    title = "Imports"
    breadcrumbs: list[tuple[str, str]] = []

    def get_queryset(self):
        return ImportRecord.objects.filter(area=self.area).select_related("imported_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, crumbs=self.breadcrumbs, **kwargs)
