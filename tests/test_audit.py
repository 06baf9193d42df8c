"""The audit of a label dataset (mgcalc.audit) apart from its readers: what it holds in memory."""

from __future__ import annotations


def test_an_audits_inconsistent_records_spill_to_disk_and_come_back_in_order(monkeypatch):
    """Memory stays flat on a dataset with many inconsistent records: past KEEP they are written out."""
    from mgcalc.audit import Spilled

    monkeypatch.setattr(Spilled, "KEEP", 3)
    kept: Spilled[dict[str, int]] = Spilled()
    for n in range(10):
        kept.append({"n": n})
    assert len(kept) == 10 and [item["n"] for item in kept] == list(range(10))
    assert [item["n"] for item in kept] == list(range(10))  # read back as often as needed
