"""The panel row the serving-basis tests share (tests/test_serving_basis.py, tests/cli/test_cli_check.py)."""

ROW = "Magnesium 300 mg (as magnesium oxide 500 mg)"
