"""Summaries built by hand for the renderer tests: a typical one, a dense one, a hostile one.

Each comes with the report text its evidence indexes, so grounding holds (text[start:end] ==
quote) exactly as for pipeline output.
"""

from __future__ import annotations

from typing import Any

from summarizer.models import (
    Achievement,
    Category,
    Evidence,
    Metric,
    Plan,
    Problem,
    ReportMeta,
    RunInfo,
    Summary,
)

__all__ = ["TextBuilder", "dense_summary", "hostile_summary", "small_summary"]


class TextBuilder:
    """Appends sentences to a report text and hands out their evidence spans."""

    def __init__(self, opening: str = "") -> None:
        self.text = opening

    def add(self, sentence: str, quote: str | None = None) -> Evidence:
        start = len(self.text) + (sentence.index(quote) if quote else 0)
        self.text += sentence + "\n"
        q = quote or sentence
        return Evidence(quote=q, start=start, end=start + len(q))


def _meta(rid: str, text: str, entity: str | None, **kw: Any) -> ReportMeta:
    return ReportMeta(
        id=rid,
        source=f"reports/{rid}.txt",
        entity=entity,
        chars=len(text),
        sha256="0" * 64,
        **kw,
    )


def _run() -> RunInfo:
    return RunInfo(
        backend="rules", prompt_version="rules:1", chunks=9, created="2026-11-23T21:00:00+00:00"
    )


def small_summary() -> tuple[Summary, str]:
    """A typical 街道 report: a few metrics (with a forecast), achievements, problems, plans."""
    t = TextBuilder("2020年，新闸街道在区委、区政府领导下扎实推进各项工作。\n")
    metrics = [
        Metric(
            id="m-1",
            name="公共财政预算收入",
            canonical_name="一般公共预算收入",
            value=4.01,
            unit="亿元",
            period="1-10月",
            status="actual",
            change_pct=-14.4,
            evidence=t.add("今年1-10月实现公共财政预算收入4.01亿元，同比减少14.4%；"),
        ),
        Metric(
            id="m-2",
            name="公共财政预算收入",
            canonical_name="一般公共预算收入",
            value=4.3,
            unit="亿元",
            period="全年",
            status="forecast",
            change_pct=-13.3,
            evidence=t.add("预计全年完成4.3亿元，同比下降13.3%。"),
        ),
        Metric(
            id="m-3",
            name="新增市场主体",
            value=312,
            unit="家",
            evidence=t.add("全年新增市场主体312家。"),
        ),
        Metric(
            id="m-4",
            name="规模工业总产值",
            value=112.71,
            unit="亿元",
            period="1-10月",
            change_pct=6.8,
            evidence=t.add("完成规模工业总产值112.71亿元，同比增长6.8%。"),
        ),
    ]
    achievements = [
        Achievement(
            id="a-1",
            title="重点项目有序推进",
            detail="17个市区重点项目已开工14个",
            category="economy",
            evidence=t.add("截止目前，17个重点项目已开工14个。"),
        ),
        Achievement(
            id="a-2",
            title="招商引资成效明显",
            category="economy",
            evidence=t.add("先后引进常华光电、云杰电气等一批产业类项目。"),
        ),
        Achievement(
            id="a-3",
            title="蓝天保卫战：18台锅炉完成低氮改造",
            category="environment",
            evidence=t.add("目前，9家企业的18台锅炉已经完成整改。"),
        ),
    ]
    problems = [
        Problem(
            id="p-1",
            title="产业结构不优",
            detail="新兴产业总量偏小，新旧动能转换较慢",
            evidence=t.add("一是产业结构不优，新兴产业总量偏小，新旧动能转换较慢。"),
        ),
        Problem(
            id="p-2",
            title="优质公共服务供给不足",
            evidence=t.add("二是优质公共服务供给不足，教育、医疗、养老等领域仍有差距。"),
        ),
    ]
    plans = [
        Plan(
            id="n-1",
            title="以项目引领为抓手，加速扩张经济总量",
            horizon="next_year",
            evidence=t.add("一、以“项目引领、产业提升、园区扩容”为抓手，加速扩张经济总量。"),
        ),
    ]
    meta = _meta("000_small", t.text, "新闸街道", year=2020, period="2020年", kind="annual")
    s = Summary(
        report=meta,
        achievements=achievements,
        metrics=metrics,
        problems=problems,
        plans=plans,
        run=_run(),
    )
    return s, t.text


_LONG = "全面推进高质量发展和城乡融合示范区建设，持续深化营商环境改革与重点领域风险防控攻坚"
_INDICATORS = [
    ("地区生产总值", "亿元"),
    ("一般公共预算收入", "亿元"),
    ("规模以上工业增加值", "%"),
    ("固定资产投资", "亿元"),
    ("社会消费品零售总额", "亿元"),
    ("货物进出口总额", "亿元"),
    ("实际使用外资", "亿美元"),
    ("城镇居民人均可支配收入", "元"),
    ("省市重点项目完成投资", "亿元"),
    ("规模以上服务业营业收入", "亿元"),
    ("税收收入", "亿元"),
    ("新签约亿元以上招商项目", "个"),
    ("城镇新增就业", "万人"),
    ("高新技术企业", "家"),
    ("建成区绿化覆盖率", "%"),
    ("新建改建农村公路", "公里"),
    ("完成老旧小区改造", "个"),
    ("空气质量优良天数比例", "%"),
    ("研发经费投入强度", "%"),
    ("新增城镇保障性住房", "套"),
]


def dense_summary(
    n_problems: int = 14, n_plans: int = 15, five_years: int = 0
) -> tuple[Summary, str]:
    """A heavy report: 40 metrics (long names, actual + forecast each), 24 achievements over
    every area, `n_problems` long problems and `n_plans` long plans; with `five_years`, that
    many more figures of the “十四五” period (年均增长, span multi_year) after them."""
    t = TextBuilder("2025年是“十四五”规划收官之年。全市上下攻坚克难，经济社会发展取得新成效。\n")
    metrics: list[Metric] = []
    for i, (name, unit) in enumerate(_INDICATORS):
        long_name = name if i % 3 else f"{name}（含{_LONG[:12]}口径）"
        v = round(1234.56 / (i + 1), 2)
        s1 = f"全年{long_name}完成{v}{unit}，同比增长{i - 6}.5%，"
        metrics.append(
            Metric(
                name=long_name,
                value=v,
                unit=unit,
                period="全年",
                status="actual",
                change_pct=float(f"{i - 6}.5"),
                evidence=t.add(s1),
            )
        )
        v2 = round(v * 1.06, 2)
        metrics.append(
            Metric(
                name=long_name,
                value=v2,
                unit=unit,
                period="2026年",
                status="target" if i % 2 else "forecast",
                change_pct=6.0,
                evidence=t.add(f"2026年{long_name}预期目标{v2}{unit}，增长6%左右。"),
            )
        )
    for i, (name, _unit) in enumerate(_INDICATORS[:five_years]):
        metrics.append(
            Metric(
                name=name,
                value=4.5 + i,
                unit="%",
                period="“十四五”时期",
                change_pct=4.5 + i,
                evidence=t.add(f"“十四五”时期，{name}年均增长{4.5 + i}%。"),
                measure="change",
                direction="up",
                span="multi_year",
                reference_year=2025,
            )
        )
    cats: list[Category] = [
        "economy",
        "innovation",
        "urban",
        "environment",
        "livelihood",
        "governance",
        "party",
        "other",
    ]
    achievements = [
        Achievement(
            title=f"第{i + 1}项成绩：{_LONG[: 10 + i % 20]}",
            detail=f"{_LONG}，完成投资{i + 3}亿元，惠及群众{i * 1000 + 5}人次",
            category=cats[i % len(cats)],
            evidence=t.add(f"（{i + 1}）{_LONG}，完成投资{i + 3}亿元。"),
        )
        for i in range(24)
    ]
    problems = [
        Problem(
            title=f"问题{i + 1}：{_LONG[: 18 + i % 15]}的短板依然突出，亟待破解",
            detail=f"{_LONG}，与群众期待相比仍有较大差距",
            evidence=t.add(
                f"{'一二三四五六七八九十'[i % 10]}是{_LONG[: 18 + i % 15]}的短板依然突出。"
            ),
        )
        for i in range(n_problems)
    ]
    plans = [
        Plan(
            title=f"计划{i + 1}：坚持{_LONG[: 12 + i % 20]}，奋力谱写现代化建设新篇章",
            detail=_LONG,
            horizon="next_year" if i % 3 else "multi_year",
            evidence=t.add(
                f"{'一二三四五六七八九十'[i % 10]}、坚持{_LONG[: 12 + i % 20]}。"
                if i % 2 == 0
                else f"（{'一二三四五六七八九十'[i % 10]}）坚持{_LONG[: 12 + i % 20]}。"
            ),
        )
        for i in range(n_plans)
    ]
    meta = _meta(
        "dense_report_with_a_rather_long_identifier",
        t.text,
        "某某省某某市某某区高新技术产业开发区管理委员会",
        year=2025,
        period="2025年",
        kind="annual",
    )
    s = Summary(
        report=meta,
        achievements=achievements,
        metrics=metrics,
        problems=problems,
        plans=plans,
        run=_run(),
    )
    return s, t.text


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def hostile_summary() -> tuple[Summary, str]:
    """Every report string carries markup that would run if not escaped."""
    t = TextBuilder(f"报告开头{HOSTILE}\n")
    ev = t.add(f"收入{HOSTILE}达到5亿元，增长3%。")
    s = Summary(
        report=_meta("x_hostile", t.text, f"街道{HOSTILE}", period=f"2020{HOSTILE}", year=2020),
        metrics=[
            Metric(
                id='m-"><b>',
                name=f"收入{HOSTILE}",
                canonical_name=f"=HYPERLINK({HOSTILE})",
                value=5,
                unit=f"亿元{HOSTILE}",
                period=f"@SUM{HOSTILE}",
                change_pct=-3.0,
                evidence=ev,
            )
        ],
        achievements=[
            Achievement(title=f"成绩{HOSTILE}", detail=HOSTILE, category="economy", evidence=ev)
        ],
        problems=[Problem(title=f"-问题{HOSTILE}", detail=HOSTILE, evidence=ev)],
        plans=[Plan(title=f"+计划{HOSTILE}", detail=HOSTILE, evidence=ev)],
        run=RunInfo(backend=f"rules{HOSTILE}", model=HOSTILE, prompt_version="x"),
    )
    return s, t.text
