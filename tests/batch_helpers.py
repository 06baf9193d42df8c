"""Label rows as a CSV file, and its rows read back: shared by the library and command-line tests of batch."""

import csv
import io

GOOD = [
    ("A1", "500mg", "citrate", "2", "80"),
    ("A2", "535 mg", "chloride hexahydrate", "", "64"),
    ("A3", "1,250 mg", "oxide", "", ""),
    ("A4", "5 grains", "MgSO4·7H2O", "3", ""),
    ("A5", "0.5 g", "glycinate", "1", "500"),
]


def csv_text(rows, header=("sku", "amount", "form", "per_day", "declared_mg")):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))
