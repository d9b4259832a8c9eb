"""A small corpus built by hand for the index page's search and filters: each report is found
by one kind of text only, so which rows a query or filter shows is known by construction."""

from __future__ import annotations

from summarizer.models import (
    Achievement,
    Level,
    Metric,
    Plan,
    Problem,
    ReportMeta,
    RunInfo,
    Summary,
)
from tests.render_fixtures import TextBuilder

__all__ = ["HOSTILE_NAME", "corpus", "report"]

# Closes a script element, opens one, and breaks out of an attribute: would run if not escaped.
HOSTILE_NAME = (
    '</script><script>window.__pwned=1</script>"\'><img src=x onerror="window.__pwned=2">街道'
)


def report(
    rid: str,
    entity: str | None,
    level: Level | None,
    year: int | None,
    *,
    problem: tuple[str, str] | None = None,  # (title, the sentence it is quoted from)
    plan: tuple[str, str] | None = None,  # (title, detail)
    achievement: tuple[str, str] | None = None,  # (title, the sentence it is quoted from)
    metric: str | None = None,
) -> Summary:
    t = TextBuilder(f"{entity or ''}{year or ''}年工作报告\n")
    problems, plans, achievements, metrics = [], [], [], []
    if problem:
        problems.append(Problem(id=f"p-{rid}", title=problem[0], evidence=t.add(problem[1])))
    if plan:
        plans.append(
            Plan(id=f"n-{rid}", title=plan[0], detail=plan[1], evidence=t.add(f"一是{plan[0]}。"))
        )
    if achievement:
        sentence = achievement[1]
        achievements.append(
            Achievement(id=f"a-{rid}", title=achievement[0], evidence=t.add(sentence))
        )
    if metric:
        ev = t.add(f"{metric}增长5.3%。")
        metrics.append(
            Metric(id=f"m-{rid}", name=metric, value=5.3, unit="%", measure="change", evidence=ev)
        )
    meta = ReportMeta(
        id=rid,
        source=f"in/{rid}.txt",
        entity=entity,
        level=level,
        year=year,
        chars=len(t.text),
        sha256="0" * 64,
    )
    return Summary(
        report=meta,
        problems=problems,
        plans=plans,
        achievements=achievements,
        metrics=metrics,
        run=RunInfo(backend="rules", prompt_version="rules:1"),
    )


def corpus() -> list[Summary]:
    """Six reports. 债务 is in 甲市's problem (its quote only) and 乙县 2023's plan (its
    detail only); 失业 only in 乙县 2024's problem quote; GDP only in 丙县's metric name;
    救灾 only in the quote of 甲市's achievement (quotes of achievements are not indexed);
    the last report names no entity, level or year."""
    return [
        report(
            "city_jia_2023",
            "甲市",
            "city",
            2023,
            problem=("财政收支矛盾突出", "财政收支矛盾突出，地方政府债务风险不容忽视"),
            achievement=("抢险救灾有力有序", "全力开展抢险救灾，转移群众1.2万人"),
        ),
        report(
            "county_yi_2023",
            "乙县",
            "county",
            2023,
            plan=("防范化解重点领域风险", "稳妥化解存量隐性债务，守住不发生系统性风险底线"),
        ),
        report(
            "county_yi_2024",
            "乙县",
            "county",
            2024,
            problem=("就业压力较大", "就业压力较大，青年失业率有所上升"),
        ),
        report("county_bing_2024", "丙县", "county", 2024, metric="地区生产总值(GDP)"),
        report("province_ding_2024", "丁省", "province", 2024, plan=("建设交通强省", "")),
        report("untitled", None, None, None, plan=("加快项目建设", "")),
    ]
