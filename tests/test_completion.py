"""Shell completion: the ids only hwspec knows complete where the command line takes them."""

from __future__ import annotations

from click.shell_completion import ShellComplete
from click.testing import CliRunner

from hwspec.cli import cli


def _complete(*words: str) -> list[str]:
    """What a shell is offered for the last word of ``hwspec WORDS``."""
    *args, incomplete = words
    completer = ShellComplete(cli, {}, "hwspec", "_HWSPEC_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_explain_completes_rule_ids_by_prefix() -> None:
    """``hwspec explain MEM00`` is offered MEM001 and no rule of another family."""
    offered = _complete("explain", "MEM00")

    assert ("MEM001" in offered, all(v.startswith("MEM00") for v in offered)) == (True, True)


def test_explain_completes_spec_codes_and_rule_names() -> None:
    """Spec codes and rule names complete too, case-insensitively."""
    assert ("SPEC001" in _complete("explain", "spec0"),
            "psu-headroom" in _complete("explain", "psu-h")) == (True, True)


def test_select_completes_rule_ids() -> None:
    """``validate --select PWR`` is offered the power rules."""
    assert "PWR001" in _complete("validate", "--select", "PWR")


def test_plan_model_completes_catalog_model_ids() -> None:
    """``plan --model deepseek`` is offered the catalog's DeepSeek ids, nothing else."""
    offered = _complete("plan", "--model", "deepseek")

    assert ("deepseek-r1" in offered, all(v.startswith("deepseek") for v in offered)) == (
        True, True)


def test_plan_gpus_offers_none_any_and_gpu_ids() -> None:
    """``plan --gpus`` is offered ``none``, ``any`` and the catalog's GPUs."""
    offered = _complete("plan", "--gpus", "")

    assert (offered[:2], "nvidia-rtx-3090" in offered) == (["none", "any"], True)


def test_plan_precision_completes_canonical_names() -> None:
    """``plan --precision q4`` is offered q4_k_m."""
    assert "q4_k_m" in _complete("plan", "--precision", "q4")


def test_parts_show_completes_every_kind_of_id() -> None:
    """``parts show amd-epyc-96`` is offered EPYC ids; ``parts show ID`` takes nothing more."""
    assert ("amd-epyc-9654" in _complete("parts", "show", "amd-epyc-96"),
            _complete("parts", "show", "amd-epyc-9654", "")) == (True, [])


def test_parts_first_word_offers_list_show_and_kinds() -> None:
    """``parts`` is offered list, show and the kinds; ``parts list`` the kinds alone."""
    first, after_list = _complete("parts", ""), _complete("parts", "list", "")

    assert (first[:2], "gpu" in first, "show" in after_list, "cpu" in after_list) == (
        ["list", "show"], True, False, True)


def test_bash_completion_script_is_printed() -> None:
    """``_HWSPEC_COMPLETE=bash_source hwspec`` prints the script the README tells users to eval."""
    result = CliRunner().invoke(cli, [], prog_name="hwspec",
                                env={"_HWSPEC_COMPLETE": "bash_source"})

    assert ("complete -o nosort -F _hwspec_completion hwspec" in result.stdout,
            result.exit_code) == (True, 0), result.stdout
