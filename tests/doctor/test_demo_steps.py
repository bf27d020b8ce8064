"""The doctor, keys and console steps of `sandbox demo` run as written, in their own sandbox."""

from __future__ import annotations

from awsprof.sandbox.demo import DOCTOR_STEPS, STEPS, run_demo


def test_doctor_steps_run_in_a_fresh_sandbox() -> None:
    outputs: list[str] = []
    code = run_demo(
        announce=lambda *args: None,
        output=outputs.append,
        message=lambda text: None,
        is_available=lambda words: True,
        steps=DOCTOR_STEPS,
    )
    assert code == 0, "\n".join(outputs)
    text = "\n".join(outputs)
    assert "AWSP040" in text and "AWSP012" in text and "did you mean 'region'" in text
    assert "rotated profile 'dev'" in text
    assert set(DOCTOR_STEPS) <= set(STEPS)
