import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

app = Celery("commissioning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def celery_folders_create(sender, source, **kwargs):
    """Make the folders Celery writes to: the filesystem broker's (development) and the one beat keeps its schedule
    in. Here, when a process first uses Celery (to queue a job or as the worker), rather than on importing settings;
    kombu makes none of them (bar its control folder, and not its parents)."""
    folders = [Path(source.beat_schedule_filename).parent]
    if str(source.broker_url).startswith("filesystem:"):
        options = source.broker_transport_options or {}
        folders += [Path(options[key]) for key in ("data_folder_in", "data_folder_out", "processed_folder",
                                                   "control_folder") if options.get(key)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
