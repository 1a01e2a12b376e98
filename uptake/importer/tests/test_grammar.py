from uptake.importer.parsing import ParsedDocument, parse_text

from . import documents as docs


def _summary(doc: ParsedDocument) -> list[tuple[str | None, list[tuple]]]:
    return [
        (r.number, [(x.unit, x.agreement, x.target_dates) for x in r.responses])
        for r in doc.recommendations
    ]


def test_it_reads_narrative_blocks_per_unit() -> None:
    doc = parse_text(docs.NARRATIVE)
    assert doc.title and doc.title.startswith("Management Response and Action Plan")
    assert _summary(doc) == [
        ("1", [("Director, Fisheries Compliance Directorate (FCD)", "agree", ["Q3 2024-25"])]),
        (
            "2",
            [
                ("Grants and Contributions Centre (GCC)", "partially_agree", ["March 31, 2025"]),
                ("Regional Operations Branch (ROB)", "agree", ["Fall 2025"]),
            ],
        ),
    ]
    first, second = doc.recommendations
    assert first.text.startswith("Strengthen the monitoring")
    assert len(first.sub_points) == 2
    assert first.action_count == 2
    assert second.action_count == 3
    assert [len(r.actions) for r in second.responses] == [1, 2]


def test_it_reads_a_pipe_table() -> None:
    doc = parse_text(docs.PIPE_TABLE)
    assert _summary(doc) == [
        ("1", [("Director, Laboratory Services (DLS)", "agree", ["June 2024", "Fall 2024"])]),
        ("2", [("Manager, Safety Office", "partially_agree", ["Q4 2024-25"])]),
    ]
    assert [r.action_count for r in doc.recommendations] == [2, 1]


def test_it_reads_a_tab_table_with_a_disagreement() -> None:
    doc = parse_text(docs.TAB_TABLE)
    assert _summary(doc) == [
        ("1", [("Director General, Skills Branch", "agree", ["December 2023"])]),
        ("2", [(None, "disagree", [])]),
        ("3", [("Director, Reporting Unit (DRU)", "agree", ["2024-25"])]),
    ]
    assert doc.recommendations[0].responses[0].actions[0].text.startswith("Publish a one-page")


def test_it_reads_one_cell_per_line() -> None:
    doc = parse_text(docs.ONE_CELL_PER_LINE)
    assert _summary(doc) == [
        ("1", [("Director, Broadband Programs Directorate", "agree", ["September 2024"])]),
        (
            "2",
            [
                (
                    "Chief Economist, Economic Analysis Branch (EAB)",
                    "partially_agree",
                    ["Spring 2025"],
                )
            ],
        ),
    ]
    assert (
        doc.recommendations[1].text
        == "The Fund should assess the affordability of subsidised services."
    )


def test_it_reads_french_headings() -> None:
    doc = parse_text(docs.FRENCH)
    assert doc.language == "fr"
    assert _summary(doc) == [
        (
            "1",
            [("Directeur général, Direction des parcs urbains (DPU)", "agree", ["31 mars 2025"])],
        ),
        ("2", [(None, "disagree", [])]),
        ("3", [("Gestionnaire, Section des communications", "partially_agree", ["Automne 2025"])]),
    ]


def test_it_reads_un_key_actions() -> None:
    doc = parse_text(docs.UN_KEY_ACTIONS)
    assert _summary(doc) == [
        (
            "1",
            [
                ("Project Manager", "agree", ["2019/09"]),
                ("Project Board Secretariat", "agree", ["2019/12"]),
            ],
        ),
        ("2", [("M&E Officer", "partially_agree", ["2020/06"])]),
    ]
    assert [r.action_count for r in doc.recommendations] == [2, 1]


def test_it_reads_space_joined_cells_with_bullets() -> None:
    doc = parse_text(docs.SPACE_JOINED)
    unit = "Director, Heritage Grants Division (HGD)"
    assert _summary(doc) == [
        ("1", [(unit, "agree", ["June 30, 2024", "September 2024"])]),
        ("2", [(unit, "agree", ["March 31, 2025"])]),
    ]
    actions = doc.recommendations[0].responses[0].actions
    assert [a.deliverable for a in actions] == [
        "Priorities page online",
        "Two information sessions",
    ]


def test_it_reads_sub_numbered_recommendations() -> None:
    doc = parse_text(docs.SUB_NUMBERED)
    assert [r.number for r in doc.recommendations] == ["1.1", "1.2"]
    assert doc.recommendations[1].responses[0].target_dates == ["Ongoing"]


def test_it_repairs_mojibake() -> None:
    doc = parse_text(docs.MOJIBAKE)
    rec = doc.recommendations[0]
    assert rec.text == "Expand the seed bank\u2019s storage capacity"
    assert rec.responses[0].unit == "Seed Bank Directorate (SBD)"
    assert rec.responses[0].target_dates == ["June 2025"]
    fr = parse_text(docs.MOJIBAKE_FR)
    assert fr.recommendations[0].text == "Améliorer l\u2019accès aux données"
    assert fr.recommendations[0].responses[0].agreement == "agree"


def test_it_keeps_what_it_cannot_place() -> None:
    text = docs.PIPE_TABLE + "\n3 | The Chief Science Officer should review the"
    doc = parse_text(text)
    assert [r.number for r in doc.recommendations] == ["1", "2"]
    assert any("should review the" in u.text for u in doc.unplaced)


def test_to_dict_has_the_scorer_format() -> None:
    data = parse_text(docs.PIPE_TABLE).to_dict()
    assert set(data) >= {"title", "language", "recommendations", "unplaced"}
    rec = data["recommendations"][0]
    assert set(rec) >= {
        "number",
        "text",
        "body",
        "sub_points",
        "responses",
        "action_count",
        "line_span",
    }
    resp = rec["responses"][0]
    assert set(resp) >= {"unit", "agreement", "commitment", "actions", "target_dates"}
    assert set(resp["actions"][0]) >= {"text", "responsibility_centre", "target_date"}
