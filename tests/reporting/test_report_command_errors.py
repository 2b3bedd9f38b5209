"""`cstraject report` refuses bad arguments with one line and a non-zero exit, before touching the database."""

import pytest

from cstraject.__main__ import main


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2021", "--to", "2022", "-o", "x.xlsx", "--bogus"], "unrecognized arguments: --bogus"),
        (["--to", "2022", "-o", "x.xlsx"], "the following arguments are required: --from"),
        (["--from", "twintig", "--to", "2022", "-o", "x.xlsx"], "--from moet een jaartal zijn"),
        (["--from", "2021", "--to", "-5", "-o", "x.xlsx"], "--to"),
        (["--from", "2022", "--to", "2021", "-o", "x.xlsx"], "--from 2022 ligt na --to 2021"),
        (["--from", "1999", "--to", "2021", "-o", "x.xlsx"], "--from 1999 ligt buiten 2000-2100"),
        (["--from", "2021", "--to", "2101", "-o", "x.xlsx"], "--to 2101 ligt buiten 2000-2100"),
        (["--from", "2021", "--to", "2022", "-o", "x.xlsx", "--format", "pdf"], "Onbekend formaat 'pdf'"),
        (["--from", "2021", "--to", "2022", "-o", "x.xlsx", "--sector-level", "sectie"], "Onbekend sectorniveau"),
    ],
)
def test_report_command_errors_are_one_line_and_non_zero(arguments, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["report", *arguments])
    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("CommandError:") and message in err, err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "x.xlsx").exists()
