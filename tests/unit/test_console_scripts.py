from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cloud.cli import app as cloud_cli
from desktop.cli import app as till_cli

runner = CliRunner()


def test_cloud_help_lists_subcommands() -> None:
    result = runner.invoke(cloud_cli, ["--help"])
    assert result.exit_code == 0
    assert "serve" in result.output and "openapi" in result.output


def test_till_help_lists_subcommands() -> None:
    result = runner.invoke(till_cli, ["--help"])
    assert result.exit_code == 0
    assert "run" in result.output and "token" in result.output


def test_openapi_documents_are_written(tmp_path: Path) -> None:
    for cli, name in ((cloud_cli, "cloud.json"), (till_cli, "till.json")):
        out = tmp_path / name
        result = runner.invoke(cli, ["openapi", "--out", str(out)])
        assert result.exit_code == 0, result.output
        doc = json.loads(out.read_text())
        assert "/health" in doc["paths"]


def test_till_token_is_private_and_stable(tmp_path: Path) -> None:
    first = runner.invoke(till_cli, ["token"]).output.strip()
    second = runner.invoke(till_cli, ["token"]).output.strip()
    assert first == second and len(first) >= 32
    token_files = list((tmp_path / "home").rglob("api-token"))
    assert token_files and (token_files[0].stat().st_mode & 0o777) == 0o600
