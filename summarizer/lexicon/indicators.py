"""Canonical names for the common indicators, so reports compare across a folder.

Reports name the same indicator many ways (公共财政预算收入 / 一般公共预算收入 / 地方一般公共预算收入;
规模工业总产值 / 规上工业总产值 / 规模以上工业总产值; 全市生产总值 / 地区生产总值 / GDP). A name is
first stripped of its scope prefix (全省/全市/街道/全社会 …), then matched against ordered
patterns; the first match gives the canonical name.

Decisions:
- 限额以上 (限上) 社会消费品零售总额 stays distinct from 社会消费品零售总额: it covers only the
  larger retailers and is not comparable with a whole-area total.
- 地方财政收入 is 一般公共预算收入 (its meaning in 统计公报); a bare 财政收入 is ambiguous (财政总收入
  or 一般公共预算收入, depending on the report) and stays unmapped.
- 人均 indicators (人均地区生产总值, 人均一般公共预算收入) are distinct from their totals.
- 城镇 / 农村 居民人均可支配收入 are distinct from the all-resident figure; 居民可支配收入 (as seed
  000 writes it) is the all-resident one.
- 实际利用外资 / 实际使用外资 / 到位外资 / 实到外资 are one indicator (the genre uses them
  interchangeably); 到位内资 is separate.
- 国内生产总值 (a national report's GDP) is 地区生产总值: one column for GDP across a folder of
  national, province and city reports. 单位国内生产总值能耗 is not GDP but an intensity of its own.
- A stock and its yearly flow stay apart: 高新技术企业 / 新增高新技术企业, 经营主体 / 新增经营主体;
  so do 城镇调查失业率 and 城镇登记失业率, and 研发经费支出 and its share of GDP (研发经费投入强度).
- 减税降费 is a term of art: whoever it is for ("为经营主体新增减免税费", "降低企业税负").
- The headline vocabulary of national, province and city reports (能耗, 二氧化碳排放, PM2.5, 优良
  天数, 粮食产量, 全员劳动生产率, 服务贸易, 赤字率, 专项债券, 中央预算内投资 …) is here too, so a
  table of many reports lines them up.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["canonical_name", "is_indicator"]

# Scope words in front of a name that do not change the indicator.
_SCOPE = re.compile(
    r"^(?:(?:[\u4e00-\u9fff]{2,3}(?:街道|园区|(?<!城)镇))|全街道|本街道|街道|园区|全镇|全区|全县|全市|全省|全州"
    r"|全社会|全年|年度|本年度|半年度|上半年|今年|累计|我省|我市|我区|全口径|完成|实现|实施|安排|推进|列入"
    r"|全国|市区|中心城区|主城区|城区)+"
)

# (pattern on the scope-stripped name, canonical name) — first match wins, so specific before broad.
_RULES: list[tuple[str, str]] = [
    (r"^人均(?:地区|国内)?生产总值$|^人均GDP$", "人均地区生产总值"),
    (r"^(?:地区|国内)?生产总值(?:总量)?$|^GDP$|^经济总量$", "地区生产总值"),
    (r"^人均.*(?:公共)?(?:财政)?预算收入$", "人均一般公共预算收入"),
    (
        r"^(?:地方)?(?:一般)?公共(?:财政)?(?:预算)?收入$|^(?:地方)?一般公共财政预算收入$"
        r"|^(?:财政)?一般预算收入$|^地方财政收入$",
        "一般公共预算收入",
    ),
    (r"^(?:地方)?一般公共(?:财政)?预算支出(?:规模)?$", "一般公共预算支出"),
    (r"^财政总收入$|^全部财政收入$", "财政总收入"),  # bare 财政收入 is ambiguous: left unmapped
    (r"^税收(?:收入|总额)?$", "税收收入"),
    (r"^(?:规模以上|规上|规模)工业(?:总)?产值$", "规上工业总产值"),
    (r"^(?:规模以上|规上|规模)?工业(?:企业)?增加值$", "规上工业增加值"),
    (r"^(?:规模以上|规上)?工业企业(?:实现)?利润(?:总额)?$", "工业企业利润"),
    (r"^(?:服务业|第三产业)增加值$", "服务业增加值"),
    (
        r"^(?:[省市区县]+级?)?重点(?:建设|产业)?项目(?:完成|累计完成|年度)?(?:总)?投资(?:额)?$",
        "重点项目投资",
    ),
    (r"^(?:列入)?(?:[省市区县]+级?)?重点(?:建设|产业)?项目(?:数)?$", "重点项目数"),
    (r"^固定资产投资(?:总额|完成额)?$|^固投$", "固定资产投资"),
    (r"^工业投资$", "工业投资"),
    (r"^制造业投资$", "制造业投资"),
    (r"^(?:中央)?预算内投资$", "中央预算内投资"),
    (r"^(?:限额以上|限上)社会消费品零售(?:总)?额$|^限上社零额$", "限额以上社会消费品零售总额"),
    (r"^社会消费品零售(?:总)?额$|^社零(?:总)?额$", "社会消费品零售总额"),
    (r"^服务贸易(?:进出口)?(?:总额|额)?$|^服务进出口(?:总额|额)?$", "服务贸易进出口总额"),
    (r"^(?:外贸|货物|货物贸易)?进出口(?:总额|总值|额)?$|^外贸总额$", "进出口总额"),
    (r"^(?:自营|外贸|货物)?出口(?:总额|额|总值)?$", "出口总额"),
    (
        r"^实际(?:利用|使用|到位|到账)外资(?:金额|总额)?$|^(?:到位|实到|利用)?外资$",
        "实际利用外资",
    ),
    (r"^(?:实际)?(?:到位|实到|利用)内资(?:总额)?$", "实际到位内资"),
    (r"^城镇(?:常住)?居民(?:人均)?可支配收入$", "城镇居民人均可支配收入"),
    (
        r"^农村(?:常住)?居民(?:人均)?可支配收入$|^农民人均(?:可支配|纯)收入$",
        "农村居民人均可支配收入",
    ),
    (r"^(?:全体|全国|全省|全市)?(?:常住)?居民(?:人均)?可支配收入$", "居民人均可支配收入"),
    (r"^(?:城镇新增|新增城镇)就业(?:人数)?$", "城镇新增就业"),
    (r"^城镇(?:调查)?失业率(?:平均值)?$|^调查失业率$", "城镇调查失业率"),
    (r"^(?:城镇)?登记失业率$", "城镇登记失业率"),
    (r"^(?:居民)?消费价格(?:指数)?(?:涨幅|上涨幅度|上涨|水平)?$|^CPI(?:涨幅)?$", "居民消费价格"),
    # An intensity before the spending it divides: "研发经费投入强度" is a share of GDP.
    (
        r"^(?:全社会)?(?:研发|R&D|研究与试验发展)(?:经费)?(?:投入|支出)?强度$"
        r"|^(?:全社会)?(?:研发|R&D|研究与试验发展)经费(?:投入|支出)?(?:与|占)(?:地区|国内)?"
        r"生产总值(?:之比|比重|的比重)$",
        "研发经费投入强度",
    ),
    (r"^(?:研发|R&D)经费(?:投入|支出)?$|^研发投入$", "研发经费支出"),
    (r"^全员劳动生产率$", "全员劳动生产率"),
    (r"^(?:国家(?:级)?)?高新技术企业(?:数量|总数|数)?$|^高企(?:数量|总数)?$", "高新技术企业"),
    (r"^新增(?:认定)?(?:国家(?:级)?)?高新技术企业$|^新增高企$", "新增高新技术企业"),
    (r"^(?:国家|省级)?科技型中小企业(?:数量|总数)?$", "科技型中小企业"),
    (r"^技术合同(?:成交|交易)(?:总)?额$", "技术合同成交额"),
    (r"^(?:市场|经营)主体(?:总量|总数|数量)?$", "经营主体"),
    (r"^新增(?:市场|经营)主体$|^(?:市场|经营)主体净增$", "新增经营主体"),
    (r"^单位(?:地区|国内)?(?:生产总值|GDP)能耗$|^能耗强度$", "单位地区生产总值能耗"),
    (
        r"^单位(?:地区|国内)?(?:生产总值|GDP)二氧化碳排放(?:量)?$|^(?:二氧化碳|碳)排放强度$",
        "单位地区生产总值二氧化碳排放",
    ),
    (
        r"^(?:细颗粒物)?[（(]?PM2\.5[）)]?(?:平均|年均)?浓度$|^细颗粒物(?:平均|年均)?浓度$",
        "PM2.5平均浓度",
    ),
    (
        r"^(?:空气质量|空气)?优良天数(?:比例|比率|占比)$|^空气(?:质量)?优良率$",
        "空气质量优良天数比例",
    ),
    (r"^(?:空气质量|空气)?(?:优良|二级以上)天数$", "空气质量优良天数"),
    (r"^森林覆盖率$", "森林覆盖率"),
    (r"^(?:常住人口)?城镇化率$", "常住人口城镇化率"),
    (r"^粮食(?:总|年)?产(?:量)?$", "粮食产量"),
    (r"^(?:新)?(?:建设|建成|新建|新建成)?高标准农田(?:建设)?$", "高标准农田建设"),
    (r"^(?:全社会)?用电量$", "全社会用电量"),
    (r"^贫困发生率$", "贫困发生率"),
    (r"^(?:农村)?贫困人口$", "农村贫困人口"),
    (r"^(?:实际|稳定)?(?:减贫|脱贫)(?:人口|人数)?$", "脱贫人口"),
    (r"^(?:城镇)?棚户区(?:住房)?改造$|^改造棚户区(?:住房)?$", "棚户区改造"),
    (r"^(?:应届)?高校毕业生(?:人数|规模)?$", "高校毕业生"),
    (r"^(?:接待)?(?:国内外)?游客(?:接待量|总人数|人数|量)?$", "接待游客"),
    (r"^旅游(?:总|综合)?收入$", "旅游总收入"),
    (r"^(?:本外币|金融机构)?(?:各项)?存款余额$", "存款余额"),
    (r"^(?:本外币|金融机构)?(?:各项)?贷款余额$", "贷款余额"),
    (r"^(?:财政)?赤字率$", "赤字率"),
    (r"^(?:财政)?赤字(?:规模)?$", "财政赤字"),
    (r"^(?:新增)?(?:地方(?:政府)?)?专项债(?:券)?(?:额度|规模)?$", "地方政府专项债券"),
    # A term of art whoever it is for: "为经营主体新增减免税费", "降低企业税负".
    (
        r"^(?:为[^为]{1,8}?)?(?:新增)?(?:减税降费(?:及退税)?|减免税费|税费优惠|减税)(?:规模)?$"
        r"|^(?:降低|减少|减轻)企业税(?:费)?负(?:担)?$",
        "减税降费",
    ),
]
_COMPILED = [(re.compile(p), c) for p, c in _RULES]


@lru_cache(maxsize=4096)
def canonical_name(name: str) -> str | None:
    """The common name of a known indicator, or None when `name` is not one of them."""
    core = _SCOPE.sub("", name.strip()) or name.strip()
    core = re.sub(r"[“”\"\s]", "", core)
    for pattern, canonical in _COMPILED:
        if pattern.search(core):
            return canonical
    return None


# Endings that make a name an economic or social indicator rather than a count of activities.
_INDICATOR_TAIL = re.compile(
    r"(?:收入|产值|总值|总额|增加值|投资|投资额|销售额|营业额|零售额|营收|利润|税收|税源|出口|进口|进出口|外资"
    r"|内资|支出|产量|面积|里程|余额|吞吐量|客运量|货运量|发送量|游客|就业|失业率|价格|人口|经费|资金"
    r"|规模|总量|消费|贸易额|成交额|交易额|率|比重|占比|强度|指数|人数|企业|项目|产业|人才|岗位|学位"
    r"|床位|住房|用地|基站|市场主体|经营主体|装机|装机容量|能耗|浓度|天数|用电量|发电量|产能"
    r"|总投入|投入资金)$"
)


@lru_cache(maxsize=4096)
def is_indicator(name: str, unit: str, *, has_change: bool = False) -> bool:
    """Whether a named figure reads as an indicator worth a metrics row (not "锅炉 4台").

    Known indicators always do; otherwise a stated year-on-year change, a rate, or a name ending
    in an indicator noun (收入, 产值, 投资, 企业, 项目, …) does."""
    if canonical_name(name) is not None or has_change:
        return True
    if unit.endswith("元") and name.endswith(("额", "标准")):
        return True  # an amount of money named as one: 引资额, 合同额, 补助标准, 低保标准 …
    return bool(_INDICATOR_TAIL.search(name)) or (unit == "%" and name.endswith(("率", "比重")))
