"""Invented management responses in each layout family, and builders for each file format."""

from __future__ import annotations

import io

NARRATIVE = """\
Management Response and Action Plan: Evaluation of the Northern Fisheries Support Program

Recommendation 1: Strengthen the monitoring of fishing licence compliance in remote regions

The program should focus on:

a) better data sharing with territorial partners;
b) regular field inspections.

Management response

Fisheries Compliance Directorate (FCD)

FCD agrees with this recommendation.

Actions

FCD will design a shared compliance dashboard with territorial partners.

FCD will schedule two field inspection tours each year.

Responsibility centre: Director, Fisheries Compliance Directorate (FCD)

Target completion date: Q3 2024-25

Recommendation 2: Review the eligibility criteria of the equipment grant

Commitments

Grants and Contributions Centre (GCC)

The GCC partially agrees with this recommendation: the criteria will be reviewed.

Regional Operations Branch (ROB)

ROB agrees with this recommendation.

Actions

Grants and Contributions Centre

GCC will publish revised eligibility guidance.

Regional Operations Branch

ROB will brief regional staff on the revised criteria.

ROB will add the criteria to the intake checklist.

Responsibility centre

Grants and Contributions Centre (GCC)

Regional Operations Branch (ROB)

Target completion date

Grants and Contributions Centre

March 31, 2025

Regional Operations Branch

Fall 2025
"""

PIPE_TABLE = """\
Audit of Laboratory Inventory Controls - Management Action Plan
Recommendation | Management response | Action plan | Responsibility | Target date |
---|---|---|---|---|
1 | The Chief Science Officer should implement a single inventory register. | Agreed. | 1.1 Select and configure a register tool. | Director, Laboratory Services (DLS) | June 2024 |
| | 1.2 Train laboratory staff on the register. | DLS | Fall 2024 |
2 | The Chief Science Officer should define disposal procedures for old reagents. | Agreed in part. Radioactive waste is already covered. | 2.1 Issue a disposal directive. | Manager, Safety Office | Q4 2024-25 |
"""

TAB_TABLE = (
    "Review of the Youth Employment Pilot - Management Response\n"
    "Recommendation\tManagement Response\tActions\tResponsible\tTarget Date\n"
    "1\tThe Branch should simplify application forms.\tManagement agrees.\t"
    "Publish a one-page application form.\tDirector General, Skills Branch\tDecember 2023\n"
    "2\tThe Branch should track outcomes after placement.\tManagement disagrees. "
    "Provinces already track outcomes.\t\t\t\n"
    "3\tThe Branch should report annually on the pilot.\tManagement agrees.\t"
    "Add pilot results to the annual report.\tDirector, Reporting Unit (DRU)\t2024-25\n"
)

ONE_CELL_PER_LINE = """\
Evaluation of the Rural Broadband Fund: Management Response and Action Plan

Recommendation 1
The Fund should publish coverage targets for each region.
Management agrees with the recommendation.
The Fund will post regional coverage targets on its web page.
Director, Broadband Programs Directorate
September 2024

Recommendation 2
The Fund should assess the affordability of subsidised services.
Management agrees in part.
An affordability study will be commissioned for two pilot regions.
Chief Economist, Economic Analysis Branch (EAB)
Spring 2025
"""

FRENCH = """\
Réponse et plan d'action de la direction – Évaluation du Programme des parcs urbains

Recommandation 1 : Renforcer la planification des investissements dans les parcs urbains

Réponse de la direction : La direction est d'accord avec cette recommandation.

Mesures : Élaborer un plan quinquennal d'investissement.

Responsable : Directeur général, Direction des parcs urbains (DPU)

Échéance : 31 mars 2025

Recommandation 2 : Mesurer la fréquentation des parcs

Réponse de la direction : La direction n'est pas d'accord : les données municipales suffisent.

Recommandation 3 : Améliorer la diffusion des résultats

Réponse de la direction : La direction accepte en partie cette recommandation.

Mesures : Publier un bilan annuel.

Responsable : Gestionnaire, Section des communications

Échéance : Automne 2025
"""

UN_KEY_ACTIONS = """\
Mid-term Evaluation of the Coastal Resilience Project
Commissioning Unit: Samoa

1. Recommendation: The project should recruit a full-time gender specialist.
Management Response: [Added: 2019/03/02]

Agree - a specialist is needed to support community consultations.

Key Actions:

Key Action Responsible DueDate Status Comments Documents
Draft terms of reference and recruit the specialist
[Added: 2019/03/02]
Project Manager 2019/09 Initiated Recruitment launched
Brief the project board on gender results
[Added: 2019/03/02]
Project Board Secretariat 2019/12 Not Initiated
2. Recommendation: The project should extend its monitoring to outer islands.
Management Response: [Added: 2019/03/02]

Partially Agree - budget limits the number of islands covered.

Key Actions:

Key Action Responsible DueDate Status Comments Documents
Add two outer islands to the monitoring plan
[Added: 2019/03/02]
M&E Officer 2020/06 Completed
"""

# Cells joined by spaces, bullets for actions, the date column before the responsibility one.
SPACE_JOINED = """\
Evaluation of the Heritage Grants Program - Management Response and Action Plan
Recommendations Management Response Action Plan Deliverables Completion Date Responsibility
1 The Program should clarify its funding priorities. Agree - Publish funding priorities on the web site - Priorities page online June 30, 2024 Director, Heritage Grants Division (HGD)
- Brief applicants on the priorities - Two information sessions September 2024
2 The Program should shorten its review time. Agree - Set a service standard for reviews - Published service standard March 31, 2025 Director, Heritage Grants Division (HGD)
"""

# Sub-numbered recommendations with the prefix and a narrative response.
SUB_NUMBERED = """\
Management response - Evaluation of the Clean Water Initiative

Recommendation 1.1: Update the operator training curriculum.

Management response: Agreed. Operator training will be revised with partners.

Responsibility centre: Water Operations Division (WOD)

Target completion date: December 2024

Recommendation 1.2: Track operator certification rates.

Management response: Agreed.

Responsibility centre: Water Operations Division (WOD)

Target completion date: Ongoing
"""

# A department name garbled by a wrong encoding, as web copies often show.
MOJIBAKE = """\
Management Response â€“ Evaluation of the Seed Bank Program

Recommendation 1: Expand the seed bankâ€™s storage capacity

Commitments

Seed Bank Directorate (SBD)

The Seed Bank Directorate agrees with this recommendation.

Actions

SBD will work with ¶¶ÒùÊÓƵ partners to lease a second cold room.

Responsibility centre

Seed Bank Directorate (SBD)

Target completion date

June 2025
"""

MOJIBAKE_FR = (
    "RÃ©ponse de la direction\n\n"
    "Recommandation 1 : AmÃ©liorer lâ€™accÃ¨s aux donnÃ©es\n\n"
    "RÃ©ponse de la direction : La direction est dâ€™accord.\n\n"
    "Responsable : Directrice, Direction des donnÃ©es (DD)\n\n"
    "Ã‰chÃ©ance : DÃ©cembre 2024\n"
)


def html_table() -> str:
    rows = [
        ("1", "The Office should publish its audit plan every year.", "Management agrees.",
         "1.1 Post the audit plan online.", "Chief Audit Executive (CAE)", "April 2024"),
        ("2", "The Office should follow up on open findings.", "Management agrees in part.",
         "2.1 Report open findings twice a year.", "CAE", "Q2 2024-25"),
    ]  # fmt: skip
    body = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>" for row in rows)
    return (
        "<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style></head><body>"
        "<h1>Audit of Planning &amp; Reporting &ndash; Management Action Plan</h1>"
        "<table><thead><tr><th>No.</th><th>Recommendation</th><th>Management response</th>"
        "<th>Actions</th><th>Responsibility</th><th>Target date</th></tr></thead>"
        f"<tbody>{body}</tbody></table><script>var a = '1 | 2';</script></body></html>"
    )


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: list[str], per_page: int = 55) -> bytes:
    """A minimal PDF with one text line per line, Helvetica, WinAnsi encoding."""
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    objects: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, page in enumerate(pages):
        ops = " ".join(f"({_pdf_escape(line)}) Tj T*" for line in page)
        stream = f"BT /F1 9 Tf 11 TL 40 800 Td {ops} ET".encode("cp1252")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
