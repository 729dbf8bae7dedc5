"""The reference commands: rules, explain, facts, parts."""

from __future__ import annotations

import json

from click.testing import Result
from tests.conftest import invoke

from hwspec.cli import EXIT_OK, EXIT_USAGE


def _invoke(*args: str) -> Result:
    return invoke(list(args), catch_exceptions=False)


def test_rules_json_lists_every_builtin_rule() -> None:
    """hwspec rules --format json lists MEM001 with its pack and severity."""
    rows = json.loads(_invoke("rules", "--format", "json").stdout)

    assert {k: v for k, v in next(r for r in rows if r["id"] == "MEM001")
                                  .items() if k != "summary"} == {"id": "MEM001", "name": "memory-kind-supported", "severity": "error",
            "pack": "memory"}


def test_explain_by_name_shows_check_and_examples() -> None:
    """hwspec explain takes a rule name and prints its check and both examples."""
    out = _invoke("explain", "psu-headroom").stdout

    assert [s for s in ("power.load_fraction <= psu_max_load",
                                                  "Failing example", "Passing example",
                                                  "psu_max_load = 0.8") if s in out] == ["power.load_fraction <= psu_max_load", "Failing example", "Passing example",
            "psu_max_load = 0.8"]


def test_explain_unknown_rule_is_usage_error() -> None:
    """An unknown rule is exit 2 with a did-you-mean."""
    result = _invoke("explain", "MEM0O1")

    assert (result.exit_code, "did you mean 'MEM001'?" in result.stderr) == (EXIT_USAGE, True)


def test_facts_lists_units_and_formulas() -> None:
    """hwspec facts shows memory.bandwidth_gbs with its unit and formula."""
    out = _invoke("facts").stdout

    assert "memory.bandwidth_gbs [GB/s] (number)" in out


def test_parts_search() -> None:
    """hwspec parts cpu --search 9655 lists the 9655 and 9655P."""
    result = _invoke("parts", "cpu", "--search", "9655")

    assert (
        result.exit_code, [line.split()[0] for line in result.stdout.splitlines()[1:]]) == (EXIT_OK, ["amd-epyc-9655", "amd-epyc-9655p"])


def test_parts_show_prints_sources() -> None:
    """hwspec parts show prints each field with its source URL."""
    out = _invoke("parts", "show", "amd-epyc-9655").stdout

    assert "https://www.amd.com/" in out.splitlines()[1]
