"""Laws of the decode estimates: the bound is never below the expected high end; an efficiency
is a share in (0, 1]; more cores or CCDs never lower sustained bandwidth; a second socket never
lowers the one-socket figure; decode at the full context never exceeds decode at the start."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import hwspec
from hwspec import formulas
from hwspec.facts import Facts

ENGINES = st.sampled_from([None, "llama.cpp", "ik_llama.cpp", "ktransformers", "sglang", "vllm",
                           "mlx"])
NUMA = st.sampled_from(["single-socket", "interleave", "replicate-per-socket"])
MODELS = st.sampled_from(["deepseek-r1", "llama-3.1-70b", "qwen3-30b-a3b", "gpt-oss-120b"])

CPU_BUILD = """
[build]
name = "CPU build"
[cpu]
part = "{cpu}"
count = {count}
{ccds}
[[memory]]
part = "micron-mtc20f2085s1rc64br"
count = {modules}
[workload]
model = "{model}"
precision = "{precision}"
context_tokens = {context}
{engine}
{numa}
"""

GPU_BUILD = """
[build]
name = "GPU build"
[[gpu]]
part = "nvidia-rtx-4090"
count = {count}
[workload]
model = "llama-3.1-8b"
precision = "q4_k_m"
context_tokens = {context}
{engine}
"""

SYSTEM_BUILD = """
[build]
name = "Unified build"
[system]
part = "{system}"
[workload]
model = "{model}"
precision = "q4_k_m"
context_tokens = {context}
device = "{device}"
{engine}
"""

CPUS = st.sampled_from(["amd-epyc-9655", "amd-epyc-9115", "amd-epyc-9654", "intel-xeon-6980p"])
SYSTEMS = st.sampled_from(["apple-mac-studio-m3-ultra-512gb", "nvidia-dgx-spark"])
CONTEXT = st.integers(1, 65536)


def _line(key: str, value: str | None) -> str:
    return f'{key} = "{value}"' if value is not None else ""


def _facts(text: str) -> Facts:
    facts = hwspec.validate(hwspec.loads(text)).facts
    assert facts is not None
    return facts


def _number(facts: Facts, name: str) -> float:
    value = facts.number(name)
    assert value is not None, name
    return value


def _cpu(cpu: str, model: str, context: int, engine: str | None, numa: str | None,
         count: int = 2, modules: int = 24, ccds: int | None = None,
         precision: str = "q4_k_m") -> Facts:
    return _facts(CPU_BUILD.format(
        cpu=cpu, count=count, modules=modules, model=model, context=context, precision=precision,
        engine=_line("engine", engine), numa=_line("numa", numa) if count > 1 else "",
        ccds=f"ccds = {ccds}" if ccds is not None else ""))


def _builds() -> st.SearchStrategy[Facts]:
    """Checked builds of every class: CPU sockets, GPUs, unified machines on GPU and CPU."""
    cpu = st.builds(_cpu, CPUS, MODELS, CONTEXT, ENGINES, NUMA,
                    precision=st.sampled_from(["q4_k_m", "iq2_xxs"]))
    gpu = st.builds(lambda n, c, e: _facts(GPU_BUILD.format(count=n, context=c,
                                                             engine=_line("engine", e))),
                    st.integers(1, 4), CONTEXT, ENGINES)
    unified = st.builds(lambda s, m, c, d, e: _facts(SYSTEM_BUILD.format(
        system=s, model=m, context=c, device=d, engine=_line("engine", e))),
        SYSTEMS, st.sampled_from(["llama-3.1-8b", "qwen3-30b-a3b"]), CONTEXT,
        st.sampled_from(["gpu", "cpu"]), ENGINES)
    return st.one_of(cpu, gpu, unified)


@given(_builds())
def test_the_bound_is_never_below_the_expected_high_end(facts: Facts) -> None:
    """At the start and at the full context, expected <= high end <= bound."""
    for suffix in ("", "_full_context"):
        bound = _number(facts, "decode.tokens_per_s_max" + suffix)
        expected = _number(facts, "decode.tokens_per_s_expected" + suffix)
        high = _number(facts, "decode.tokens_per_s_expected" + suffix + "_high")
        low = _number(facts, "decode.tokens_per_s_expected" + suffix + "_low")
        assert low <= expected <= high <= bound


@given(_builds())
def test_decode_at_the_full_context_never_exceeds_decode_at_the_start(facts: Facts) -> None:
    """Every full-context figure is at most its start-of-generation figure."""
    for start, full in (
            ("decode.tokens_per_s_max", "decode.tokens_per_s_max_full_context"),
            ("decode.tokens_per_s_expected", "decode.tokens_per_s_expected_full_context"),
            ("decode.tokens_per_s_expected_low",
             "decode.tokens_per_s_expected_full_context_low"),
            ("decode.tokens_per_s_expected_high",
             "decode.tokens_per_s_expected_full_context_high")):
        assert _number(facts, full) <= _number(facts, start)


DEVICE_CLASSES = st.sampled_from([formulas.DISCRETE_GPU, formulas.UNIFIED_GPU, formulas.APPLE_GPU,
                                  formulas.APPLE_CPU, formulas.DESKTOP_CPU, formulas.SERVER_CPU,
                                  formulas.HYBRID,
                                  "a class nobody measured"])


@given(DEVICE_CLASSES, st.sampled_from(["dense", "moe"]), ENGINES)
def test_an_efficiency_is_a_share_in_zero_to_one(device: str, shape: str,
                                                 engine: str | None) -> None:
    """0 < low <= central <= high <= 1 for every class, shape and engine."""
    efficiency, basis = formulas.decode_efficiency(device, shape, engine)

    assert 0 < efficiency.low <= efficiency.central <= efficiency.high <= 1, basis


@given(st.floats(1, 2000, allow_nan=False), st.integers(1, 16), st.integers(1, 16),
       st.floats(1, 200, allow_nan=False))
def test_more_ccds_never_lower_the_ccd_limited_bandwidth(channels_gbs: float, fewer: int,
                                                         more: int, per_ccd: float) -> None:
    """The CCD cap never falls as CCDs are added."""
    fewer, more = sorted((fewer, more))

    assert formulas.ccd_limited_bandwidth_gbs(channels_gbs, fewer, per_ccd) <= (
        formulas.ccd_limited_bandwidth_gbs(channels_gbs, more, per_ccd))


@given(st.integers(1, 16), st.integers(1, 16))
def test_more_ccds_never_lower_sustained_bandwidth(fewer: int, more: int) -> None:
    """On Turin (a per-CCD read figure), a CPU given more CCDs sustains at least as much."""
    fewer, more = sorted((fewer, more))

    def sustained(ccds: int) -> float:
        return _number(_cpu("amd-epyc-9115", "llama-3.1-70b", 1, None, None, count=1,
                            modules=12, ccds=ccds), "memory.sustained_bandwidth_gbs")

    assert sustained(fewer) <= sustained(more)


@given(st.sampled_from(["intel-xeon-6980p", "amd-epyc-9655", "amd-epyc-9115"]),
       st.integers(4, 64), st.integers(4, 64))
def test_more_cores_never_lower_sustained_bandwidth(cpu: str, fewer: int, more: int) -> None:
    """A CPU given more cores sustains at least the bandwidth it did with fewer."""
    fewer, more = sorted((fewer, more))

    def sustained(cores: int) -> float:
        facts = _facts(CPU_BUILD.format(
            cpu=cpu, count=1, modules=12, model="llama-3.1-70b", context=1, engine="",
            numa="", ccds=f"cores = {cores}", precision="q4_k_m"))
        return _number(facts, "memory.sustained_bandwidth_gbs")

    assert sustained(fewer) <= sustained(more)


@given(CPUS, MODELS, CONTEXT, ENGINES, NUMA)
def test_a_second_socket_never_lowers_the_one_socket_figure(cpu: str, model: str, context: int,
                                                            engine: str | None,
                                                            numa: str) -> None:
    """Two sockets, each with the memory one had, decode at least as fast under any placement."""
    one = _cpu(cpu, model, context, engine, None, count=1, modules=12)
    two = _cpu(cpu, model, context, engine, numa, count=2, modules=24)
    for name in ("decode.tokens_per_s_max", "decode.tokens_per_s_expected",
                 "decode.tokens_per_s_expected_low", "decode.tokens_per_s_expected_high"):
        assert _number(two, name) >= _number(one, name) * (1 - 1e-12), name


@given(st.sampled_from(sorted(formulas.NUMA_GAIN)), ENGINES, st.integers(1, 8))
def test_the_second_socket_gain_is_never_below_one(mode: str, engine: str | None,
                                                   sockets: int) -> None:
    """Each placement's gain is at least 1 and its high end at most the sockets' count."""
    (central, low, high), _ = formulas.numa_gain(mode, engine, sockets)

    assert 1 <= low <= central <= high <= max(sockets, 1)


@given(st.sampled_from(["intel-xeon-6980p", "amd-epyc-9655", "amd-epyc-9115"]),
       st.integers(2, 64), st.integers(2, 64))
def test_more_cores_never_lower_the_expected_decode_of_an_i_quant(cpu: str, fewer: int,
                                                                 more: int) -> None:
    """An i-quant decoded on CPU cores is expected at least as fast with more of them."""
    fewer, more = sorted((fewer, more))

    def expected(cores: int) -> float:
        facts = _facts(CPU_BUILD.format(
            cpu=cpu, count=1, modules=12, model="llama-3.1-70b", context=1, engine="",
            numa="", ccds=f"cores = {cores}", precision="iq2_xxs"))
        return _number(facts, "decode.tokens_per_s_expected")

    assert expected(fewer) <= expected(more) * (1 + 1e-12)
