"""Platform records every app shares.

These tables keep the names they had when the models lived in the `commissioning` package, so a
council's data upgrades by `migrate` alone.
"""

from django.conf import settings
from django.db import models


class WorkerHeartbeat(models.Model):
    """Last time each Celery worker ran the heartbeat task: shows admins the background jobs are alive."""

    hostname = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        db_table = "commissioning_workerheartbeat"
        ordering = ["hostname"]

    def __str__(self):
        return f"{self.hostname} at {self.last_seen:%d %b %Y %H:%M}"


class ImportRecord(models.Model):
    """A confirmed spreadsheet import: who, when, which file (name and SHA-256) and what it did."""

    area = models.CharField(max_length=30, db_index=True, help_text="The app the import belongs to, e.g. kpis.")
    kind = models.CharField(max_length=30, help_text="What was imported, e.g. indicators or framework.")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["area", "-imported_at"])]

    def __str__(self):
        return f"{self.filename} ({self.kind}) at {self.imported_at:%d %b %Y %H:%M}"


class PendingTask(models.Model):
    """A background job to send to the broker (the outbox).

    Written in the same transaction as the change that needs it and sent once that commits; the row is
    deleted when the broker has taken the job. A job the broker could not take (Redis down) stays here
    and the outbox sweep sends it again every minute, so a saved change never loses its follow-up work.
    """

    task = models.CharField(max_length=200, help_text="Celery task name, e.g. reports.tasks.report_build.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Sends the broker refused.")
    last_error = models.TextField(blank=True)
    last_attempt = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.task} (queued {self.created:%d %b %Y %H:%M})"


class HeldUpload(models.Model):
    """A checked upload waiting for the person who checked it to confirm it (an import page's "check, then
    confirm"): in the database, so a cache outage neither loses it nor fails the page. Deleted when confirmed, and
    once expired by the next read of any hold and by the hourly sweep. No history, and the admin never shows what
    it holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, help_text="What is held, e.g. the import and the file's SHA-256.")
    value = models.BinaryField(help_text="Pickled; written and read only by core.holds.")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["expires"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_heldupload_one_per_key")]

    def __str__(self):
        return f"Upload held for {self.user} until {self.expires:%d %b %Y %H:%M}"
