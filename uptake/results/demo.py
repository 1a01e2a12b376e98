"""Demo: an invented country strategy with its logic model, PMF and a first year of actuals,
linked to actions of the demo evaluation. Written through the services, like everything else."""

from __future__ import annotations

import datetime
from decimal import Decimal

from uptake.accounts.models import User
from uptake.evaluations.models import Action, Recommendation

from . import services
from .models import Indicator, Result, Strategy

DEMO_STRATEGY = "Highland Water, Sanitation and Health Strategy"

# code, parent code, English, French
RESULTS = [
    ("1000", "", "Better health and well-being of rural highland households, especially women and girls",
     "Meilleure santé et bien-être des ménages ruraux des hautes terres, en particulier des femmes et des filles"),
    ("1100", "1000", "Rural households use safe water services that keep working",
     "Les ménages ruraux utilisent des services d'eau potable qui continuent de fonctionner"),
    ("1200", "1000", "Safer hygiene and sanitation practices, decided with women as equals",
     "Des pratiques d'hygiène et d'assainissement plus sûres, décidées avec les femmes sur un pied d'égalité"),
    ("1110", "1100", "Community water boards run and repair their systems themselves",
     "Les comités de l'eau exploitent et réparent eux-mêmes leurs réseaux"),
    ("1120", "1100", "More working water systems in the target municipalities",
     "Davantage de réseaux d'eau fonctionnels dans les municipalités ciblées"),
    ("1210", "1200", "Households know and apply key hygiene practices",
     "Les ménages connaissent et appliquent les pratiques d'hygiène essentielles"),
    ("1220", "1200", "Women take part in decisions on sanitation projects",
     "Les femmes participent aux décisions sur les projets d'assainissement"),
    ("1111", "1110", "Water board members trained in maintenance and tariff setting",
     "Membres des comités de l'eau formés à l'entretien et à la fixation des tarifs"),
    ("1112", "1110", "Maintenance funds set up in every new water project",
     "Fonds d'entretien créés dans chaque nouveau projet d'eau"),
    ("1121", "1120", "Rural water systems built or rehabilitated",
     "Réseaux d'eau ruraux construits ou remis en état"),
    ("1122", "1120", "Functionality monitoring running in each municipality",
     "Suivi du fonctionnement en place dans chaque municipalité"),
    ("1211", "1210", "Hygiene sessions held in participating communities",
     "Séances d'hygiène tenues dans les communautés participantes"),
    ("1221", "1220", "Gender analyses completed for sanitation projects",
     "Analyses comparatives entre les sexes réalisées pour les projets d'assainissement"),
]  # fmt: skip

# result code, English, French, measure, ascending, baseline, baseline year,
# targets for the three periods, actual for the first (None: not reported), explanation
INDICATORS = [
    ("1000", "Share of children under five with diarrhoea in the past two weeks (%)",
     "Proportion d'enfants de moins de cinq ans ayant eu la diarrhée au cours des deux dernières semaines (%)",
     "percentage", False, "18", 2023, ["17", "15", "13"], "16", "A drier year than usual reduced cases."),
    ("1100", "Share of households using a safely managed water service (%)",
     "Proportion des ménages utilisant un service d'eau géré en toute sécurité (%)",
     "percentage", True, "41", 2023, ["44", "50", "56"], "43", "Two systems were idle while parts were imported."),
    ("1110", "Share of water boards that collect tariffs covering maintenance (%)",
     "Proportion des comités de l'eau qui perçoivent des tarifs couvrant l'entretien (%)",
     "percentage", True, "22", 2023, ["30", "45", "60"], "30", ""),
    ("1120", "Share of rural water systems working on the day of a visit (%)",
     "Proportion des réseaux d'eau ruraux fonctionnels le jour de la visite (%)",
     "percentage", True, "63", 2023, ["68", "74", "80"], None, ""),
    ("1111", "Number of water board members trained (cumulative)",
     "Nombre de membres des comités de l'eau formés (cumulatif)",
     "unit", True, "0", 2024, ["120", "260", "400"], "134", "A partner added two sessions at its own cost."),
    ("1121", "Number of systems built or rehabilitated",
     "Nombre de réseaux construits ou remis en état",
     "unit", True, "0", 2024, ["15", "20", "20"], "15", ""),
    ("1220", "How women's views shaped sanitation designs",
     "Comment les avis des femmes ont orienté la conception des projets d'assainissement",
     "qualitative", True, "Women were rarely consulted before designs were final.", 2023,
     ["Women consulted in every new design", "Women's committees validate designs",
      "Women co-lead design decisions"],
     "Women were consulted on six of seven designs; latrine placement changed in three.", ""),
]  # fmt: skip

PERIODS = ["first", "second", "third"]


def _fiscal(start: int) -> tuple[str, datetime.date, datetime.date]:
    return (
        f"{start}-{str(start + 1)[2:]}",
        datetime.date(start, 4, 1),
        datetime.date(start + 1, 3, 31),
    )


def load_strategy_demo(
    *, evaluator: User, committee: User, reporter: User, evaluation_title: str, today: datetime.date
) -> bool:
    """Load the demo strategy once. Returns False when it is already there."""
    if Strategy.objects.filter(title_en=DEMO_STRATEGY).exists():
        return False
    ev = evaluator
    first = (today.year if today.month >= 4 else today.year - 1) - 1
    strategy = services.strategy_create(
        by=ev,
        kind="country",
        title_en=DEMO_STRATEGY,
        title_fr="Stratégie eau, assainissement et santé des hautes terres",
        subject="Ecuador",
        country_code="EC",
        start_year=first,
        end_year=first + 4,
    )
    services.section_create(
        strategy=strategy, by=ev,
        heading_en="Context", heading_fr="Contexte",
        body_en="Rural highland communities depend on small gravity-fed water systems that "
        "communities built but cannot always repair. Diarrhoeal illness remains common among "
        "young children, and women carry most of the work of fetching water.",
        body_fr="Les communautés rurales des hautes terres dépendent de petits réseaux d'eau "
        "gravitaires qu'elles ont construits mais ne peuvent pas toujours réparer.",
    )  # fmt: skip
    services.section_create(
        strategy=strategy, by=ev,
        heading_en="How change will happen", heading_fr="Comment le changement se produira",
        body_en="Support shifts from building systems to keeping them working: trained water "
        "boards, maintenance funds and municipal monitoring, with women taking part in every "
        "design decision.",
    )  # fmt: skip
    for year, amount, text in (
        (first, "2400000", "Water board training and maintenance funds"),
        (first + 1, "3100000", "System rehabilitation and municipal monitoring"),
        (first + 2, "2800000", "Hygiene promotion and gender analyses"),
    ):
        services.investment_create(
            strategy=strategy, by=ev, description=text, amount=Decimal(amount),
            currency="CAD", fiscal_year=year,
        )  # fmt: skip
    made: dict[str, Result] = {}
    for code, parent, en, fr in RESULTS:
        made[code] = services.result_create(
            strategy=strategy, by=ev, statement_en=en, statement_fr=fr,
            parent=made[parent] if parent else None,
        )  # fmt: skip
    periods = []
    for offset in range(3):
        name, start, end = _fiscal(first + offset)
        periods.append(
            services.period_create(strategy=strategy, by=ev, name=name, start=start, end=end)
        )
    indicators: list[tuple[Indicator, str | None, str]] = []
    for code, en, fr, measure, ascending, base, year, targets, actual, why in INDICATORS:
        qualitative = measure == "qualitative"
        indicator = services.indicator_create(
            result=made[code], by=ev, text_en=en, text_fr=fr, measure=measure,
            ascending=ascending, cumulative="cumulative" in en,
            baseline_value=None if qualitative else Decimal(base),
            baseline_text=base if qualitative else "", baseline_year=year,
            data_sources="Partner reports; municipal records" if not qualitative else "Design records",
            collection_method="Household survey" if measure == "percentage" else "Document review",
            frequency="Yearly", responsibility="Implementing partner; program officer",
        )  # fmt: skip
        for period, target in zip(periods, targets, strict=True):
            services.target_set(
                indicator=indicator, period=period, by=ev,
                value=None if qualitative else Decimal(target), text=target if qualitative else "",
            )  # fmt: skip
        indicators.append((indicator, actual, why))
    services.strategy_approve(strategy=strategy, by=committee)
    for n, (indicator, actual, why) in enumerate(indicators):
        if actual is None:
            continue
        qualitative = indicator.is_qualitative
        update = services.actual_save(
            indicator=indicator, period=periods[0], by=reporter,
            value=None if qualitative else Decimal(actual), text=actual if qualitative else "",
            variance_explanation=why, submit=True,
        )  # fmt: skip
        if n == 1:
            # One actual waits for the evaluation unit's approval.
            continue
        services.actual_approve(update=update, by=ev)
    _link_demo_actions(made, evaluation_title=evaluation_title, by=ev)
    return True


def _link_demo_actions(made: dict[str, Result], *, evaluation_title: str, by: User) -> None:
    def actions(number: str) -> list[Action]:
        return list(
            Action.objects.filter(
                response__recommendation__evaluation__title_en=evaluation_title,
                response__recommendation__number=number,
            ).order_by("id")
        )

    for number, code in (("1", "1110"), ("3", "1220")):
        rec = Recommendation.objects.filter(
            evaluation__title_en=evaluation_title, number=number
        ).first()
        if rec is not None:
            services.recommendation_link(recommendation=rec, result=made[code], by=by)
        for action in actions(number)[:2]:
            services.action_link(action=action, result=made[code], by=by)
    for action in actions("4")[:1]:
        services.action_link(action=action, result=made["1122"], by=by)
