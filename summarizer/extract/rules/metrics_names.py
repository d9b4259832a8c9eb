"""Reading an indicator's name from the clause text before its figure.

"今年1-10月实现公共财政预算收入" → 公共财政预算收入: period, status, scope and "achieved" verb
words are stripped from both ends; what is left is the name, unless it is too long to be one or
is a word that names nothing by itself (其中, 总量, 年初计划 …).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizer.lexicon.indicators import canonical_name
from summarizer.lexicon.numbers import CHANGE_DOWN, CHANGE_UP
from summarizer.lexicon.periods import PLAN_PERIOD
from summarizer.lexicon.spaces import SPACES

__all__ = [
    "ATTRIBUTE_NAME",
    "MAX_NAME",
    "NEW_WORD",
    "NOUN_AFTER",
    "REJECT_NAME",
    "SHARED_ATTRIBUTE",
    "SHARED_VERB",
    "balance_quotes",
    "clean_name",
    "clean_noun",
    "find_name",
    "known_noun_after",
    "with_list_head",
    "with_subject",
    "with_zone",
]

MAX_NAME = 16
# A policy standard names whom and what it covers before its own word ("义务教育阶段特殊教育生均公用经费
# 最低标准", "集中供养孤儿基本生活保障省定最低标准", "新农合和城镇居民基本医疗保险财政补助标准"): longer.
MAX_STANDARD_NAME = 20

# Words around a name that are not part of it: periods, status, scope and "achieved" verbs.
LEAD = re.compile(
    r"^(?:\s|[）)”]|其中|同时|此外|另外|目前|截至目前|截止目前|截至|截止|今年以来|年内|今年|去年|当年|本年度|本年"
    r"|一年来|五年来|全年|上半年|下半年|前三季度|[一二三四]季度|第[一二三四]季度|月底|月末|年底|年末|底|末"
    r"|到?[0-9]{4}年(?:度|底|末)?|[0-9]{1,2}\s*[-—–~～至到]\s*[0-9]{1,2}月(?:份)?|[0-9]{1,2}月(?:份)?"
    rf"|“?{PLAN_PERIOD}”?(?:期间|时期|以来)?|[,，、：:]|明年|来年|新的一年"
    r"|主要(?:预期)?目标(?:是|为)|目标(?:是|为)"
    # "全市生产总值" is how a city names its GDP; "全市实现地区生产总值" only says who achieved it.
    r"|全[市省区县镇](?=实现|完成|累计|共计|达到)"
    r"|预计|计划|力争|确保|争取|预期|努力|要|将|已经|已|共有|共计|累计完成|累计实现|累计|合计|总计"
    r"|完成了|完成|实现了|实现|达到了|达到|全面|顺利|成功|圆满|超额|新签约|期间|推动|推进|半年度"
    r"|稳步|加快|全力|积极|持续|进一步|大力|共(?![建享同性青])"
    # an enumeration's ordinal ("一是城镇新增就业4000人", "九是新增县城集中供热面积…")
    r"|[一二三四五六七八九十]是"
    # the span a five-year review gives its figures (read as their period, not their name) and
    # the budget verbs of a plan ("今年再完成…", "拟安排…"): 再生资源, 再就业 keep their 再
    r"|(?:过去的?|这|近)?五年(?:来|间|内|累计)?|多年(?:来|累计)?|以来|也|再(?![生就])|拟|安排)+"
)
TRAIL = re.compile(
    r"(?:\s|完成了|完成|实现了|实现|达到了|达到|达|为|是|突破|超过|超|逾|发展到|发展至"
    # "提高到51.6%": the level reached ("补助标准提高到人均320元": a standard's, per head)
    rf"|(?:{CHANGE_UP}|{CHANGE_DOWN}|增|升|降)(?:到|至)了?(?:人均)?"
    r"|控制在|保持在|稳定在|稳定|保持|累计|共计|合计|总计|约|近"
    r"|共|计|可|平均|分别|均|首次|再次|预计|全年|同比|以上|不少于|不低于|不超过|达到了|[,，、：:]"
    r"|力争|确保|争取|努力|[0-9]{4}年(?:底|末)?|年底|年末|全部|五年|拟按|拟安排|安排|按"
    r"|迈上|跃上|站上|登上"  # "迈上14万亿元新台阶": the level reached
    r"|统一"  # "城乡居民基础养老金标准统一由55元提高到70元": one standard for all
    # a target's modal words ("能耗强度要降低3.9%以上", "资费年内至少降低30%", "养老金继续提高10%")
    r"|要|都要|继续|至少|低于|年内"
    r"|再)+$"  # "基础养老金最低标准再提高20元": a plan's 再 before its change word
)
# The last characters TRAIL's words can end on: a name ending otherwise has no trailing filler
# (TRAIL is anchored at the end), and most do, so the regex is skipped for them.
_TRAIL_LAST = frozenset(
    "了成现到达为是破过超逾至在定持计约近共可均别次年比上于,，、：:争保取力底末部排按要续少内再均一"
)
REJECT_NAME = re.compile(
    r"^(?:占|比|约|同比|其中|折合|相当于|分别|总计|完成率|增长率|年初计划|年度计划|年度目标|全年目标)"
    r"|(?:的|计划|目标|任务|完成率|之|第|和|及|与)$"
    r"|^(?:增速|增幅|总量|总数|规模|总规模|数量|任务|投入|投入资金|资金|金额|面积|合计|累计|共|上述|项目|其他)$"
)
# Who is speaking is not part of the indicator: "新闸街道列入市区重点项目", "街道年度一般公共…".
SCOPE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,3}(?:街道|园区)|全街道|本街道|街道|园区|我街道|辖区|全镇|全区|全县|本区|本镇)"
    r"(?:\(街道\)|（街道）)?(?:年度|全年|共有|共|现有|累计)?(?=[\u4e00-\u9fff“]{2})"
)
# A bare attribute continues the indicator named before it in the sentence:
# "规模以上工业企业达7.6万家、增加值增长3%", "重点项目10个，总投资15.69亿元",
# "接待游客873万人次，综合效益43.65亿元".
ATTRIBUTE_NAME = re.compile(
    r"^(?:增加值|总产值|产值|营业收入|营收|利润总额|利润|销售额|投资|总投资|总投资额|年度投资|完成投资"
    r"|(?:年度)?计划(?:总)?投资|综合效益|综合收入)$"
)
# Attributes a figure's subject lends to the next clause's bare figure: "粮食播种面积稳定在33万亩
# 以上，年产量12.6万吨以上" (顺平 2022), "…427万亩以上，总产量29亿斤以上", "清洁能源并网367万千瓦，
# 总装机达到1400万千瓦" (承德 2024).
SHARED_ATTRIBUTE = re.compile(r"^(?:年|总)?(?:产量|装机(?:容量)?)$")
# …and the verbs a list's items share: "退出钢铁产能…、煤炭产能超过2.9亿吨" (national 2017),
# "改造老旧小区33个、棚户区3199套" (承德 2024), "新引进项目800个以上，其中亿元以上工业项目300个" (柳州 2024).
# The verbs of additions, one list for both: a counted noun's name keeps them (NEW_WORD).
_ADDING = "新增|新建|新开工|引进|培育|新培育|建成|开工|竣工|签约"
SHARED_VERB = re.compile(rf"{_ADDING}|新引进|退出|改造")
NEW_WORD = re.compile(rf"(?:{_ADDING}|新设)$")
# What may follow a counted noun: a break, a note mark ("建成2个“口袋公园”[24]"), or a word that
# opens what is said of it ("…问题得到解决", "…任务全部完成").
_NOUN_END = (
    r"[，,；;：:。！？!?\n、（(\[]|已|获|被|入选|等|的|中|共|全部|分别|实现|完成|开工|参与|成功|均|达|超"
    r"|累计|和|及|与|在|通过|实施|建成|投入|得到|$"
)
NOUN_AFTER = re.compile(rf"(?P<noun>[\u4e00-\u9fff“”\"]{{2,14}}?)(?={_NOUN_END})")
_NOUN_ENDS = re.compile(_NOUN_END)
# A known noun right before 任务 is what the task counts ("完成2万亩补充耕地任务", "完成1600亩湿地
# 修复任务"); a noun and a verb before it are not ("1000万以上农村贫困人口脱贫任务").
_TASK = "任务"


# A note mark a report sets after a term it explains at the end ("建设“四好农村路”[4]42公里").
_NOTE_MARK = re.compile(r"\[[0-9]{1,3}\]")
# What a counted noun may hold that is no part of its name: a note mark ("“四好农村路”[25]"), an
# aside in brackets ("名师（名校长）工作室"), quotes.
_NOUN_ASIDE = re.compile(rf"{_NOTE_MARK.pattern}|（[^（）]{{1,8}}）|\([^()]{{1,8}}\)|[“”\"]")
_NOUN_CHAR = re.compile(r"[\u4e00-\u9fff]")
_MAX_NOUN_RUN = 16
_MIN_KNOWN_NOUN = 2


def known_noun_after(
    text: str, pos: int, end: int, lazy_end: int, takes: Callable[[str], bool]
) -> tuple[str, int] | None:
    """The counted noun after a figure ending at `pos` when it names a known indicator: the
    longest run of the clause after the figure, read without its asides, that `takes` accepts,
    and no shorter than the plain noun reading (which ends at `lazy_end`). "近1400万农业转移人口
    在城镇落户" counts people settled in towns, "6000万农村人口的饮水安全问题" people given safe
    water, "12家名师（名校长）工作室" studios; "1000万以上农村贫困人口脱贫任务" is not read as
    农村贫困人口 (the plain noun runs to 任务). Returns the name and where it ends in `text`."""
    chars: list[str] = []
    ends: list[int] = []  # ends[i]: the text offset just after chars[i]
    closed: set[int] = set()  # the ends an aside closes: a noun may end there
    i, stop = pos, min(end, pos + 2 * _MAX_NOUN_RUN)
    while i < stop and len(chars) < _MAX_NOUN_RUN:
        aside = _NOUN_ASIDE.match(text, i)
        if aside:
            i = aside.end()
            if ends:
                ends[-1] = i
                closed.add(i)
            continue
        if not _NOUN_CHAR.match(text, i):
            break
        chars.append(text[i])
        ends.append(i + 1)
        i += 1
    for k in range(len(chars), _MIN_KNOWN_NOUN - 1, -1):
        at = ends[k - 1]
        if at + len(_TASK) < lazy_end:
            break  # shorter than the plain noun reading, even by the word 任务
        # "完成1600亩湿地修复任务": the task is the noun's own, the plain reading one word longer
        task_of_noun = text.startswith(_TASK, at)
        if at < lazy_end and not task_of_noun:
            continue
        # a noun ends where its run, an aside or a word of the noun's end does: not inside
        # a longer noun ("5家科技型中小企业落户园区" counts firms settled, no stock of them)
        ends_here = k == len(chars) or at in closed or task_of_noun or _NOUN_ENDS.match(text, at)
        name = "".join(chars[:k])
        if ends_here and takes(name):
            return name, at
    return None


_OBTAINED = re.compile(r"^[\u4e00-\u9fff]{1,8}?争取(.{4,})$")
# A word written twice where a list shares its tail ("城镇居民居民人均可支配收入").
_REPEATED = re.compile(r"([\u4e00-\u9fff]{2})\1")


# Blanks inside a name are where the reader unwrapped a hard-wrapped line ("新增规上工业  企业",
# "PM2.5  平均浓度"); between two Latin words they are the text's own.
_BLANK = f"[{SPACES}\u200b]+"
_WIDE = f"[^\x00-\x7f{SPACES}\u200b]"
_WRAP = re.compile(f"(?<={_WIDE}){_BLANK}(?=\\S)|(?<=\\S){_BLANK}(?={_WIDE})")
# 累计 ("in total") inside a name says how the figure was summed, not what it measures:
# "城镇累计新增就业" is 城镇新增就业, "五年累计实际利用外资" the 实际利用外资 of five years.
_SUMMED = re.compile(r"(?:五年|多年)?累计")


def clean_name(prefix: str, max_len: int = MAX_NAME) -> str | None:
    """The indicator name in a clause prefix; "" when only filler words, None when unclear (or
    longer than `max_len`: a list of names may be longer than one)."""
    if " " in prefix or "\u200b" in prefix or "\u3000" in prefix:
        prefix = _WRAP.sub("", prefix)
    if "[" in prefix:
        prefix = _NOTE_MARK.sub("", prefix)
    if "累计" in prefix:
        prefix = _SUMMED.sub("", prefix)
    name = LEAD.sub("", prefix)
    name = SCOPE.sub("", name) or name
    if name and (name[-1] in _TRAIL_LAST or name[-1].isspace()):
        name = TRAIL.sub("", name)
    name = LEAD.sub("", name)
    # "帮助企业争取各级扶持资金": what was obtained is the indicator, not who obtained it.
    got = _OBTAINED.search(name) if "争取" in name else None
    if got:
        name = got.group(1)
    # search first: `sub` parses its "\1" template on every call, and few names repeat a word
    if len(name) >= 4 and _REPEATED.search(name):
        name = _REPEATED.sub(r"\1", name)
    name = balance_quotes(name.strip(SPACES))
    if len(name) > _longest(name, max_len):
        # A long lead-in ends in the indicator it leads to ("支持科技创新和制造业发展减税降费及
        # 退税", "全社会研发经费支出与国内生产总值之比"): the longest known tail is the name …
        known = _known_tail(name)
        if known:
            return known
        # … else only the tail after a break ("开展…活动，社会消费品零售总额").
        cut = max(name.rfind(c) for c in "的）)，,、")
        name = name[cut + 1 :] if cut >= 0 else name
        if len(name) > _longest(name, max_len):
            return None
    return name


def _longest(name: str, max_len: int) -> int:
    """How long `name` may be: a standard's name (…最低标准) longer than other names."""
    return max(max_len, MAX_STANDARD_NAME) if name.endswith("标准") else max_len


_MIN_KNOWN_TAIL = 5  # "生产总值" ends 海洋生产总值 too: a tail that short is not taken alone


def _known_tail(name: str) -> str | None:
    """The longest tail of `name` that is a known indicator, if any."""
    for k in range(len(name) - MAX_NAME, len(name) - _MIN_KNOWN_TAIL + 1):
        if canonical_name(name[k:]):
            return name[k:]
    return None


# A bare building stage ("基本建成544万套") is the stage of what the sentence's first figure
# built: "新开工保障性安居工程666万套，基本建成544万套", "保障性住房基本建成470万套、新开工630万套".
_STAGE = re.compile(r"基本建成|新开工|开工|建成|竣工")


def _with_stage_subject(stage: str, first: str) -> str:
    verb = _STAGE.search(first)
    subject = first[: verb.start()] + first[verb.end() :] if verb else ""
    if not verb or not subject:
        return stage
    return stage + subject if verb.start() == 0 else subject + stage


def with_subject(
    name: str,
    first: tuple[int, str] | None,
    sent: int,
    projects: tuple[int, str] | None = None,
) -> str:
    """A bare attribute ("增加值", "总投资") belongs to the first indicator of its sentence:
    "共有10个重点项目，其中市级重点项目5个，…，总投资15.69亿元" is the 10 projects' investment;
    so does a bare building stage (基本建成, 新开工). An investment with no 其中 before it is of
    the projects counted nearest before it (`projects`, when in the sentence): "全力抓好124个重点
    项目建设，力争年内完成投资40亿元以上，突出抓好27个省市重点项目，全年完成投资14亿元以上"."""
    if first and first[0] == sent and _STAGE.fullmatch(name):
        return _with_stage_subject(name, first[1])
    if not (ATTRIBUTE_NAME.match(name) and first and first[0] == sent):
        return name
    if "投资" in name and projects and projects[0] == sent:
        return projects[1] + name
    if "投资" in name and "项目" not in first[1]:
        return name  # investment belongs to projects, not to "招商引资专班"
    return first[1] + name


def balance_quotes(name: str) -> str:
    """Drop a quote mark left open or closed at either end ("双30”项目" → "双30项目" stays
    readable as written: only the unpaired mark at the edge goes)."""
    if name.count("“") != name.count("”"):
        name = name.lstrip("”").rstrip("“")
        if name.count("“") > name.count("”") and name.startswith("“"):
            name = name[1:]
        elif name.count("”") > name.count("“"):
            cut = name.find("”")
            name = name[:cut] + name[cut + 1 :] if cut < len(name) - 1 else name[:cut]
    return name.strip()


# Firms counted by the work they carry out: the verb between is no part of the name ("推动超1万家
# 工业企业开展技术改造" plans what "推动1万家工业企业技术改造" reports: 广东 2025, 2026).
_FIRMS_DOING = re.compile(r"(?<=企业)(?:开展|实施|进行)(?=[\u4e00-\u9fff]{2})")
# … kept as an indicator when the work upgrades them (技术改造, 数字化转型, 扩能升级: 承德 2024 plans
# 推动230家重点企业扩能升级), not any deed of some firms (8家企业上市, 37家矿山企业整合).
FIRMS_AT_WORK = re.compile(r"企业[\u4e00-\u9fff]{0,6}(?:改造|转型|升级)$")


def clean_noun(noun: str) -> str:
    """The counted noun after a figure without the verb it opens with ("906户1559人实现稳定脱贫"
    counts people who 稳定脱贫), nor the one firms carry out their work with."""
    return _FIRMS_DOING.sub("", LEAD.sub("", noun) or noun)


_BLANKS = frozenset(SPACES + "\u200b")


def find_name(prefix: str, name: str) -> int:
    """Where `name` (as `clean_name` read it) starts in `prefix`: blanks it dropped may stand
    between its characters. 0 when it cannot be found."""
    pos = prefix.find(name)
    if pos >= 0 or not name:
        return max(pos, 0)
    # Search the prefix with its blanks left out, and map the hit back (no regex per name: it
    # would fill the regex cache).
    kept = [i for i, c in enumerate(prefix) if c not in _BLANKS]
    pos = "".join(prefix[i] for i in kept).find(name)
    return kept[pos] if pos >= 0 else 0


# An additions word opening a list of counts governs every item of it: "新增“专精特新”企业8家、
# 高新技术企业11家、科技型中小企业80家" (顺平 2024), "新增科技型中小企业60家、高新技术企业11家"
# (易县 2022), "培育省级技术创新中心1家、高新技术企业8家、科技型中小企业45家" (顺平 2022).
_ADDED_HEAD = re.compile(r"新增|新认定|新培育|培育")
_LIST_OPEN = "，,；;。！？!?：:\n"
_DIGIT = re.compile(r"[0-9]")


def with_list_head(name: str, text: str, clause: int, floor: int) -> str:
    """`name` with the additions word of the list its figure continues (the figure's clause
    opens right after "、" and every item before it is a figure), when the two together are an
    indicator of the table: 高新技术企业 after "新增…8家、" is 新增高新技术企业."""
    if clause <= floor or text[clause - 1] != "、":
        return name
    start = max(floor, *(text.rfind(c, floor, clause) + 1 for c in _LIST_OPEN))
    digits = [_DIGIT.search(item) for item in text[start : clause - 1].split("、")]
    if not all(digits) or digits[0] is None:
        return name
    head = _ADDED_HEAD.search(text, start, start + digits[0].start())
    if head is None or name.startswith(head.group()):
        return name
    joined = head.group() + name
    return joined if canonical_name(joined) is not None else name


# A zone inside the entity opening a sentence is what the sentence is about: its later figures
# are the zone's, not the county's ("开发区营业收入增长65.8%，税收收入增长29%，实际利用外资增长
# 91.6%", 顺平 2023; "14家开发区完成调区扩区，新增入园企业282家，营业收入增长16.6%", 承德 2024).
_ZONE_OPENING = re.compile(r"\s*(?:[0-9]+家|全[省市县区])?(?P<zone>(?:经济)?开发区|经开区|高新区)")
_ZONE_IN_NAME = re.compile(r"开发区|经开区|高新区|园区")


def with_zone(name: str, text: str, sent: int, clause: int) -> str:
    """`name` with the zone its sentence opens on, for a figure past the sentence's first clause
    whose name names no zone of its own: 实际利用外资 → 开发区实际利用外资."""
    if clause <= sent or _ZONE_IN_NAME.search(name):
        return name
    zone = _ZONE_OPENING.match(text, sent)
    return zone.group("zone") + name if zone else name
