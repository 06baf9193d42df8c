"""Running the command line in tests, and what every user error must look like."""

from mgcalc.cli import app


def run(runner, *args, env=None):
    return runner.invoke(app, list(args), env=env)


def assert_one_line_error(result, fragment):
    """Exit 1, nothing on stdout, one line ``mgcalc: error: ...`` holding ``fragment``, no traceback."""
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("mgcalc: error: ") and result.stderr.count("\n") == 1
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
