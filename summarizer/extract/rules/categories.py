"""Achievement categories from keywords: the work areas these reports are organised by.

A title's words weigh three times its context's (the quote and the enclosing headings), and the
first category wins a tie, so the order below goes from the narrowest vocabulary to the widest.
"""

from __future__ import annotations

import re

from summarizer.models import Category

__all__ = ["category_of"]

_CATEGORY_WORDS: list[tuple[Category, re.Pattern[str]]] = [
    (
        "party",
        re.compile(
            r"党建|党的|党风|廉政|廉洁|干部|队伍|作风|党员|支部|党组织|从严治党|纪律|政治|督查|考核|效能"
        ),
    ),
    (
        "governance",
        re.compile(
            r"治理|平安|安全|社会稳定|和谐稳定|维护稳定|矛盾|纠纷|信访|疫情|防控|应急|消防|法治|网格|执法|风险|维稳|防汛"
            r"|政务|营商环境|放管服|改革|建议|提案|法规|法律|审批"
        ),
    ),
    (
        "environment",
        re.compile(
            r"生态|环境|污染|环保|河道|水体|大气|蓝天|碧水|净土|绿化|垃圾|节能|减排|低碳|绿色|治水"
            r"|河长|空气|美丽|森林|造林|水质|断面|降碳|碳排放|PM2\.5"
        ),
    ),
    (
        "innovation",
        re.compile(
            r"创新|科技|人才|研发|高企|高新|专利|数字|智能|转型|新质|孵化|技术|双创|数智|5G|互联网"
            r"|宽带|通信|高校|学科"
        ),
    ),
    (
        "urban",
        re.compile(
            r"城市|城建|拆迁|征收|基础设施|道路|交通|改造|乡村|城镇|城乡|农村|棚户|老旧小区|市容"
            r"|规划建设|村庄|人居|区域协调|融合发展|城区|面貌|颜值"
        ),
    ),
    (
        "livelihood",
        re.compile(
            r"民生|就业|教育|医疗|卫生|健康|养老|社保|社会保障|保障|文化|体育|救助|幼儿|学校|托育"
            r"|福祉|实事|困难群众|低保|残疾|居民收入|可支配收入|增收|住房|文明|幸福|社会事业|便民"
            r"|学生|学位|医院|脱贫|扶贫|帮扶"
        ),
    ),
    (
        "economy",
        re.compile(
            r"经济|项目|投资|招商|财政|税收|产业|企业|工业|生产总值|消费|外资|外贸|进出口|开放|内需"
            r"|市场|服务业|制造业|增长|营收|商贸|金融|农业|旅游|预算|营业额|有效投入|粮食|产量|贸易"
            r"|物价|上市|游客|景区"
        ),
    ),
]


def category_of(title: str, context: str = "") -> Category:
    """The category whose keywords a title (weight 3) and its context (weight 1) name most."""
    best: Category = "other"
    best_score = 0
    for cat, rx in _CATEGORY_WORDS:
        score = 3 * len(rx.findall(title)) + len(rx.findall(context))
        if score > best_score:
            best, best_score = cat, score
    return best
