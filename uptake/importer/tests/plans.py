"""Invented management responses for the import tests, written against conftest's units
(HWP Highland Water Program, PRS Results and Strategic Planning Division, QTO-DA …)."""

from __future__ import annotations

# Two recommendations: HWP named with a role and its code, PRS by its full name only, and
# MRO, a unit nobody has recorded yet.
KNOWN_AND_NEW = """\
Management Response: Evaluation of the Highland Water Program

Recommendation 1: Fund the maintenance of rural water systems

The program should focus on:

a) training water boards;
b) a supply of spare parts.

Commitments

Highland Water Program (HWP)

HWP agrees with this recommendation.

Actions

HWP will set up a maintenance fund.

HWP will train twenty water boards.

Responsibility centre

Director, Highland Water Program (HWP)

Target completion date

June 2027

Recommendation 2: Publish results every year

Commitments

Results and Strategic Planning Division

The division partially agrees with this recommendation.

Mountain Roads Office (MRO)

MRO agrees with this recommendation.

Actions

Results and Strategic Planning Division

The division will publish a results summary every two years.

Mountain Roads Office

MRO will share its road data.

Responsibility centre

Results and Strategic Planning Division

Mountain Roads Office (MRO)

Target completion date

Results and Strategic Planning Division

2027-28

Mountain Roads Office

Fall 2027
"""

# A table whose second row never says whether the unit agrees.
NO_AGREEMENT = """\
Review of the Highland Water Program - Management Action Plan
Recommendation | Management response | Actions | Responsibility | Target date |
---|---|---|---|---|
1 | The program should map every water point. | Management agrees. | 1.1 Publish a map of water points. | Highland Water Program (HWP) | March 2027 |
2 | The program should survey users each year. | A survey will be designed with partners. | 2.1 Design a user survey. | Highland Water Program (HWP) | Q2 2027-28 |
"""

# A unit that commits under Commitments but is never named as responsible.
COMMITS_ONLY = """\
Plan for the Evaluation of the Lake Ferry Service

Recommendation 1: Renew the ferry maintenance plan

Commitments

Highland Water Program (HWP)

HWP agrees with this recommendation.

Harbour Safety Office (HSO)

HSO will advise on docking inspections.

Actions

HWP will publish a maintenance calendar.

Responsibility centre

Highland Water Program (HWP)

Target completion date

June 2026
"""

# Titled as its management response, with the period it covers; a responsibility centre that
# writes a role, the unit's code and the code of where it sits (QTO-DA, a known mission), and
# a unit written by its name alone.
ROLE_AND_PLACE = """\
Management Response to the Recommendations of the Evaluation of the Lakeside Ferry Service (2019-20 - 2023-24)

Recommendation 1: Renew the ferry fleet's safety plan

Commitments

Lakeside Ferry Program (LFP) QTO-DA

The Lakeside Ferry Program agrees with this recommendation.

Actions

The program will publish a fleet safety plan.

Responsibility centre

Lakeside Ferry Program Director LFP (QTO-DA)

Target completion date

June 2027

Recommendation 2: Train dock staff every year

Commitments

Harbour Safety Coordination

Harbour Safety Coordination agrees with this recommendation.

Actions

Harbour Safety Coordination will run a yearly training day.

Responsibility centre

Harbour Safety Coordination

Target completion date

2027-28
"""
