"""hwspec plan's options: the reference price list, --extend, --from, --write all or nothing,
a system offered with its GPU memory limit raised, and unknown figures listed apart."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
import tomli_w
from tests.conftest import invoke
from tests.search.test_plan import PRICE_LIST, PRICES, R1

import hwspec
from hwspec.errors import PlanError
from hwspec.search.plan import PriceList, Target, plan
from hwspec.search.prices import reference_prices


def _file(tmp_path: Path, prices: dict[str, float]) -> Path:
    path = tmp_path / "prices.toml"
    path.write_text(tomli_w.dumps({"currency": "USD", "price": prices}), encoding="utf-8")
    return path


def test_without_prices_the_reference_list_is_used_and_dated() -> None:
    """plan with no --prices names the reference list's date and says prices move."""
    result = invoke(["plan", "--model", "gpt-oss-120b", "--min-decode", "10"])
    assert result.exit_code == 0, result.output
    assert f"{reference_prices().date}); prices move" in result.output


def test_extend_adds_a_list_to_the_reference_list(tmp_path: Path) -> None:
    """--prices FILE --extend keeps the reference list's whole machines beside the file's
    parts; --prices FILE alone does not."""
    path = _file(tmp_path, {"nvidia-rtx-4090": 1500})
    alone = invoke(["plan", "--model", "gpt-oss-120b", "--prices", str(path)])
    extended = invoke(["plan", "--model", "gpt-oss-120b", "--prices", str(path), "--extend"])
    assert ("nvidia-dgx-spark" in alone.output, "nvidia-dgx-spark" in extended.output) == (
        False, True)


def test_a_build_you_have_costs_nothing(tmp_path: Path) -> None:
    """--from SPEC prices the spec's parts at 0: the cheapest answer costs less than without."""
    spec = tmp_path / "have.toml"
    spec.write_text('[build]\nname = "have"\n[board]\npart = "supermicro-h13ssl-n"\n'
                    '[cpu]\npart = "amd-epyc-9355p"\n', encoding="utf-8")
    path = str(_file(tmp_path, PRICES))
    args = ["plan", "--model", "deepseek-r1", "--context", "16384", "--min-decode", "8",
            "--prices", path, "--format", "json", "--top", "1"]
    import json

    before = json.loads(invoke(args).output)["candidates"][0]["cost"]
    after = json.loads(invoke([*args, "--from", str(spec)]).output)["candidates"][0]["cost"]
    assert after <= before - PRICES["amd-epyc-9355p"]


def test_write_refuses_every_file_when_one_exists(tmp_path: Path) -> None:
    """--write writes nothing when the second of its files exists already."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan-02.toml").write_text("mine\n", encoding="utf-8")
    result = invoke(["plan", "--model", "deepseek-r1", "--context", "16384", "--min-decode",
                     "8", "--prices", str(_file(tmp_path, PRICES)), "--top", "2", "--write",
                     str(out)])
    assert (result.exit_code, sorted(p.name for p in out.iterdir())) == (2, ["plan-02.toml"])


def test_write_never_goes_through_a_symbolic_link(tmp_path: Path) -> None:
    """A --write folder that is a symbolic link is refused."""
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    result = invoke(["plan", "--model", "deepseek-r1", "--context", "16384", "--prices",
                     str(_file(tmp_path, PRICES)), "--top", "1", "--write",
                     str(tmp_path / "link")])
    assert (result.exit_code, list((tmp_path / "real").iterdir())) == (2, [])


def test_a_system_that_fits_only_with_its_gpu_limit_raised_is_offered_with_the_command() -> None:
    """The 512 GB Mac Studio holds DeepSeek-R1 only with iogpu.wired_limit_mb raised: it is a
    candidate whose changes name the command."""
    prices = PriceList("USD", {"apple-mac-studio-m3-ultra-512gb": 9499})
    answer = plan(Target(model="deepseek-r1", min_decode_tokens_per_s=8), prices)
    (candidate,) = answer.candidates
    assert "sudo sysctl iogpu.wired_limit_mb=" in candidate.changes[0]


def test_a_build_of_unknown_load_never_meets_max_power() -> None:
    """A build whose power.load_w is unknown is listed apart under --max-power, naming it."""
    prices = PriceList("USD", {"apple-mac-studio-m3-ultra-96gb": 3999})
    answer = plan(Target(model="gpt-oss-120b", max_power_w=1000), prices)
    assert (answer.candidates, [m.split(":")[0] for m in answer.undecided[0].missing]) == (
        (), ["--max-power"])


def test_a_build_over_max_power_is_excluded() -> None:
    """A known load above --max-power excludes the build."""
    answer = plan(attrs.evolve(R1, max_power_w=1), PRICE_LIST)
    assert (answer.candidates, answer.undecided) == ((), ())


def test_owned_units_cost_nothing_and_the_rest_are_bought() -> None:
    """Owning 12 of a module a build takes 24 of: 12 lines without a price, 12 bought at the
    list's price, and the bill is the bought units'."""
    prices = PriceList("USD", {k: v for k, v in PRICES.items()
                               if k != "micron-mtc20f2085s1rc64br"})
    target = attrs.evolve(R1, owned=(("samsung-m321r8ga0eb2-ccp", 12),), top=10,
                          min_decode_tokens_per_s=4)
    answer = plan(target, prices)
    (two_socket,) = [c for c in answer.candidates if c.spec["cpu"]["count"] == 2][:1]
    assert two_socket.spec["memory"] == [
        {"part": "samsung-m321r8ga0eb2-ccp", "count": 12},
        {"part": "samsung-m321r8ga0eb2-ccp", "count": 12,
         "price": PRICES["samsung-m321r8ga0eb2-ccp"]}]
    assert two_socket.report.facts["cost.total"] == two_socket.cost  # type: ignore[index]


def test_an_owned_file_gives_units_as_ids_or_tables(tmp_path: Path) -> None:
    """parts = ["id", {part = "id", count = N}] adds up to the units owned."""
    from hwspec.search.plan import load_owned

    path = tmp_path / "owned.toml"
    path.write_text('parts = ["a", {part = "b", count = 12}, "a"]\n', encoding="utf-8")
    assert load_owned(path) == (("a", 2), ("b", 12))


def test_from_counts_the_units_the_spec_has(tmp_path: Path) -> None:
    """--from reads each part of the spec with its count."""
    from tests.conftest import ROOT

    from hwspec.search.plan import owned_in_spec

    owned = dict(owned_in_spec(ROOT / "specs" / "epyc-dual.toml"))
    assert (owned["amd-epyc-9655"], owned["gigabyte-mz73-lm0"]) == (2, 1)


def test_from_a_spec_that_does_not_load_names_file_line_and_key(tmp_path: Path) -> None:
    """--from a broken spec is exit 2 naming the file, the line and the key path."""
    spec = tmp_path / "have.toml"
    spec.write_text('[build]\nname = "x"\n[cpu]\ncount = "two"\n', encoding="utf-8")
    result = invoke(["plan", "--model", "deepseek-r1", "--from", str(spec)])
    assert (result.exit_code, f"{spec}:4: cpu.count: does not load" in result.output) == (
        2, True)


def test_a_misspelt_gpu_is_refused_with_the_closest_ids() -> None:
    """``--gpus`` with an id no catalog GPU has exits 2 naming it and the closest ids, rather
    than planning as if no GPU were asked for."""
    result = invoke(["plan", "--model", "gpt-oss-120b", "--min-decode", "20",
                     "--gpus", "nvidia-rtx-5909"])

    assert (result.exit_code, "unknown GPU 'nvidia-rtx-5909'" in result.output,
            "'nvidia-rtx-5090'" in result.output) == (2, True, True)


@pytest.mark.parametrize(("platform", "closest"), [("sp5-turn", "sp5-turin"), ("sp9", "sp6")])
def test_a_misspelt_platform_is_refused_with_the_closest_names(platform: str,
                                                               closest: str) -> None:
    """``--platform`` with neither a catalog platform id nor a socket exits 2 naming it and
    the closest names, rather than answering that the priced parts make no build."""
    result = invoke(["plan", "--model", "deepseek-r1", "--platform", platform])

    assert (result.exit_code, f"unknown platform {platform!r}" in result.output,
            f"did you mean {closest!r}" in result.output) == (2, True, True)


def test_an_engine_no_spec_could_name_is_refused_before_the_search() -> None:
    """``--engine llamacpp`` exits 2 with the vocabulary's own words and did-you-mean, rather
    than failing on the first planned build with a dump of its findings."""
    result = invoke(["plan", "--model", "deepseek-r1", "--engine", "llamacpp"])

    assert (result.exit_code, "--engine: 'llamacpp' is not a known inference engine"
            in result.output, "did you mean 'llama.cpp'?" in result.output) == (2, True, True)


def test_a_platform_id_and_a_socket_both_plan() -> None:
    """A catalog platform id (sp5-turin) and a socket (sp5) are both platforms to plan on."""
    for platform in ("sp5-turin", "sp5"):
        answer = plan(attrs.evolve(R1, platforms=(platform,), top=1), PRICE_LIST)
        assert answer.candidates, platform


def test_the_library_takes_every_option_as_a_keyword() -> None:
    """``hwspec.plan`` takes the command line's options as keywords: the same answer as the
    same Target."""
    keywords = hwspec.plan(PRICE_LIST, model=R1.model, precision=R1.precision,
                           context_tokens=R1.context_tokens, min_decode_tokens_per_s=5,
                           gpus=["any"], objective="cost", basis="low", top=2)
    typed = hwspec.plan(PRICE_LIST, target=attrs.evolve(R1, min_decode_tokens_per_s=5,
                                                        gpus=("any",), basis="low", top=2))

    assert [c.cost for c in keywords.candidates] == [c.cost for c in typed.candidates]


def test_a_numa_mode_or_offload_plan_does_not_know_is_a_plan_error() -> None:
    """A misspelt NUMA mode or offload raises PlanError with a did-you-mean, from the library
    as from the command line."""
    with pytest.raises(PlanError, match="did you mean 'interleave'"):
        plan(attrs.evolve(R1, numa="interleaved"), PRICE_LIST)
    with pytest.raises(PlanError, match="unknown offload 'layers-in-ram'"):
        plan(attrs.evolve(R1, offload="layers-in-ram"), PRICE_LIST)
