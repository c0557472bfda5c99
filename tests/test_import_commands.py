"""Every import command turns a file it cannot read into one line saying why, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[1]

# Each import command, with the arguments that name its file (import_903 takes two; the header is checked first).
COMMANDS = {
    "import_contracts": lambda path: [path],
    "import_indicators": lambda path: [path],
    "import_targets": lambda path: [path],
    "import_measurements": lambda path: [path],
    "import_benchmarks": lambda path: [path],
    "import_outcomes": lambda path: [path],
    "import_ofsted_providers": lambda path: [path],
    "import_budgets": lambda path: [path],
    "import_placement_costs": lambda path: [path],
    "load_postcode_districts": lambda path: [path],
    "import_903": lambda path: ["--header", path, "--episodes", path],
}


def bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each kind of unreadable file, and what the one-line message says about it."""
    files = {
        "missing": (folder / "missing.csv", "No such file: "),
        "folder": (folder / "a-folder.csv", "is not a file"),
        "binary": (folder / "binary.csv", "binary.csv was not imported: The file is not a CSV: it looks like a "
                                          "binary file"),
        "encoding": (folder / "encoding.csv", "encoding.csv was not imported: Row 2: The file has characters that "
                                              "are neither UTF-8 nor Windows text."),
        "not a spreadsheet": (folder / "report.pdf", "report.pdf was not imported: The file must be a CSV (.csv) or "
                                                     "Excel workbook (.xlsx)."),
        "too many rows": (folder / "long.csv", "long.csv was not imported: The file has more than 3 rows, the most "
                                               "one import can take. Split it into smaller files."),
        "broken workbook": (folder / "broken.xlsx", "broken.xlsx was not imported: The file is not a valid Excel "
                                                    "workbook (.xlsx)."),
    }
    files["folder"][0].mkdir()
    files["binary"][0].write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    files["encoding"][0].write_bytes(b"code,name\nK1,caf\x81\n")  # 0x81 is in neither UTF-8 nor Windows-1252
    files["not a spreadsheet"][0].write_bytes(b"%PDF-1.7\n")
    files["too many rows"][0].write_text("code,name\n" + "".join(f"K{i},Row {i}\n" for i in range(4)))
    files["broken workbook"][0].write_bytes(b"PK\x03\x04 not really a zip")
    return files


@pytest.fixture
def superuser(django_user_model):
    # import_placement_costs records who agreed the costs before it reads the file.
    return django_user_model.objects.create_superuser(username="finance-admin", password="x" * 20)


@pytest.mark.django_db
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_unreadable_file_is_one_line_and_saves_nothing(command, tmp_path, settings, superuser, capsys):
    from core.models import ImportRecord

    settings.IMPORT_MAX_ROWS = 3
    settings.IMPORT_903_EPISODES_MAX_ROWS = 3
    for kind, (path, message) in bad_files(tmp_path).items():
        with pytest.raises(CommandError) as refused:
            call_command(command, *COMMANDS[command](str(path)))
        assert message in str(refused.value), (kind, str(refused.value))
        assert "\n" not in str(refused.value), kind
    assert not ImportRecord.objects.exists()


@pytest.mark.django_db
def test_a_file_the_command_may_not_read_is_one_line(tmp_path, monkeypatch):
    # Tests run as root here, so chmod cannot make a file unreadable: the refusal is what the system would raise.
    path = tmp_path / "budgets.csv"
    path.write_text("year\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(CommandError, match=rf"^{path} could not be read: Permission denied$"):
        call_command("import_budgets", str(path))


@pytest.mark.django_db
@pytest.mark.parametrize("path_name", ["framework.csv", "framework.xlsx"])
def test_the_framework_workbook_command_refuses_in_one_line(path_name, tmp_path):
    path = tmp_path / path_name
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError) as refused:
        call_command("import_framework", str(path))
    assert str(refused.value) in (
        "framework.csv was not imported: The file must be an Excel workbook (.xlsx) with one sheet for each part. "
        "Nothing was saved.",
        "framework.xlsx was not imported: The file is not a valid Excel workbook (.xlsx). Nothing was saved.",
    )


def test_a_file_over_the_row_limit_prints_one_line_on_the_command_line(tmp_path):
    # The real command line, as an operator would type it: no traceback, one line on stderr.
    path = tmp_path / "budgets.csv"
    path.write_text("year,code,name,amount\n" + "".join(f"2025,B{i},Line {i},100\n" for i in range(6)))
    unset = {"DJANGO_SETTINGS_MODULE", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DJANGO_SETTINGS_MODULE="commissioning.settings", IMPORT_MAX_ROWS="5",
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, "manage.py", "import_budgets", str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "CommandError: budgets.csv was not imported: The file has more than 5 rows, the most one import can take. "
        "Split it into smaller files. Nothing was saved."
    ]
