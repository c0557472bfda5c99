"""Platform records every app shares.

These tables keep the names they had when the models lived in the `commissioning` package, so a
council's data upgrades by `migrate` alone.
"""

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
