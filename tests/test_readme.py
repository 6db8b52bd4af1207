"""The README's commands are the ones CI runs, and its example is true."""

import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _readme():
    with open(os.path.join(ROOT, "README.md")) as handle:
        return handle.read()


def test_first_lines_are_exactly_two_commands():
    lines = _readme().splitlines()
    assert lines[0].startswith("# ") and lines[2] == "```bash" and lines[5] == "```"
    main_job, tests = lines[3], lines[4]
    assert "pip install" in main_job and main_job.endswith("layerwise quickstart")
    assert "pip install" in tests and tests.endswith("python -m pytest")
    assert '"torch==2.13.0"' in main_job and '"torch==2.13.0"' in tests  # never an open torch range here


def test_ci_script_runs_the_readme_commands():
    script = open(os.path.join(ROOT, ".ci", "run")).read()
    extracted = subprocess.run(
        ["bash", "-c", "awk '/^```bash/ {inside=1; next} /^```/ {if (inside) exit} inside' README.md"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    assert extracted == _readme().splitlines()[3:5]
    assert 'bash -c "$main_job"' in script and 'bash -c "$test_command"' in script
    assert '"$status" -eq 5' in script  # pytest's "no tests collected" fails CI


def test_python_example_runs(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", _readme(), flags=re.S)
    assert blocks, "the README has a Python example"
    monkeypatch.chdir(tmp_path)
    code = blocks[0].replace("validation_split=0.1)", "validation_split=0.1, verbose=0)")
    code = code.replace("model.evaluate(x_test, y_test)", "loss, accuracy = model.evaluate(x_test, y_test, verbose=0)")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["accuracy"] > 0.85
    assert os.path.exists(tmp_path / "digits.keras")


@pytest.mark.parametrize("path", ["docs/design.md", "benchmarks/fit_vs_pytorch.py", "pyproject.toml"])
def test_referenced_files_exist(path):
    assert os.path.exists(os.path.join(ROOT, path))
