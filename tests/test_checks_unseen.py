"""The false-alarm kinds of the fourth pass's unseen sets (docs/checks.md): WMT24's en→zh
general test set read the other way (first look 21 false error findings in 997 paragraphs),
then TED talks zh→en with two references and the second references of two en→zh sets (first
look 16 in 4,097), and the real errors they showed the checks missed (5千万 read as 5,000;
上午 rendered p.m.).  Each with sentences of our own: the professional rendering raises no
error, the real error beside it does."""

from __future__ import annotations

from workflow.lang.glossary import Glossary
from workflow.lang.numbers import source_numbers, target_numbers
from workflow.qa.checks import Pair, run_checks


def findings(pairs: list[tuple[str, str]], check: str, severity: str = "error") -> list[str]:
    found = run_checks([Pair(str(i), "body", s, t) for i, (s, t) in enumerate(pairs)], Glossary([]))
    return [f"{f.segment}: {f.message}" for f in found if f.check == check and f.severity == severity]


def errors(source: str, target: str, check: str) -> list[str]:
    return findings([(source, target)], check)


# (source, what a professional writes, a real error nearby, the check that must catch it):
# test_checks_held_out.py runs them with its own cases.
CASES = {
    "a year range with the second year cut short": (
        "1981年至1987年间，华盛顿州曾设立监狱监督办公室。",
        "Washington had a jail oversight office from 1981-87.",
        "Washington had a jail oversight office from 1981-89.",
        "numbers",
    ),
    "a million in words": (
        "事故率是以每100万次飞行计算的。",
        "The rates are per million departures.",
        "The rates are per thousand departures.",
        "numbers",
    ),
    "a k after the figure": (
        "这个月我在争取划到10万米。",
        "I was pushing for 100k meters this month.",
        "I was pushing for 10k meters this month.",
        "numbers",
    ),
    "a currency written as a letter before the figure": (
        "她被指控挪用5.85亿奈拉的基金。",
        "She is accused of misappropriating a N585 million fund.",
        "She is accused of misappropriating a N58.5 million fund.",
        "numbers",
    ),
    "a four-digit decade written with two digits": (
        "就像在2000年代一样，玩具都是冒险家。",
        "Like back in the 00s, the toys were adventurers.",
        "Like back in the 90s, the toys were adventurers.",
        "numbers",
    ),
    "亿 and 千万 in one figure": (
        "大约4亿5千万年前，植物从海洋来到陆地。",
        "About 450 million years ago, plants moved from the oceans onto land.",
        "About 45 million years ago, plants moved from the oceans onto land.",
        "numbers",
    ),
    "千万 alone": (
        "公司投资5千万元建厂。",
        "The company invested 50 million yuan in the plant.",
        "The company invested 5 million yuan in the plant.",
        "numbers",
    ),
    "亿 and 万 in one figure": (
        "项目总投资3亿2000万元。",
        "The project will cost 320 million yuan in all.",
        "The project will cost 302 million yuan in all.",
        "numbers",
    ),
    "a month in capitals with an ordinal": (
        "1月14日，上午10点26分。",
        "JANUARY 14th, 10:26 AM.",
        "JANUARY 15th, 10:26 AM.",
        "dates",
    ),
    "a 24-hour time in four digits": (
        "意大利时间，凌晨四点半，科伦起床了。",
        "0430 Italian time. Cohren got up.",
        "0530 Italian time. Cohren got up.",
        "numbers",
    ),
    "the end of the decade for a year ending in 0": (
        "酿酒商到2030年必须确保10%的产品使用可重复使用的包装。",
        "By the end of the decade, brewers must supply 10% of products in reusable packaging.",
        "By the end of the decade, brewers must supply 15% of products in reusable packaging.",
        "numbers",
    ),
    "the wrong half of the day": (
        "会议于下午3点开始，上午10点26分结束。",
        "The meeting began at 3 p.m. and ended at 10:26 a.m.",
        "The meeting began at 3 a.m. and ended at 10:26 a.m.",
        "numbers",
    ),
    "part of a million": (
        "全世界有25万种开花植物。",
        "There are a quarter of a million species of flowering plants.",
        "There are half a million species of flowering plants.",
        "numbers",
    ),
    "and a half in words": (
        "他们的富裕程度大概是后20%的3.5倍。",
        "They are about three and a half times as rich as the bottom 20 percent.",
        "They are about two and a half times as rich as the bottom 20 percent.",
        "numbers",
    ),
    "percentages with one percent word": (
        "在更加平等的社会，这一比例上升到了60%或65%。",
        "In the more equal societies, it rises to 60 or 65 percent.",
        "In the more equal societies, it rises to 60 or 66 percent.",
        "numbers",
    ),
    "a -fold multiple": (
        "这是10倍的差距。",
        "There is a tenfold difference there.",
        "There is a twofold difference there.",
        "numbers",
    ),
    "thrice": (
        "患病比例是其它社会的3倍。",
        "The rate of illness is thrice that of other societies.",
        "The rate of illness is twice that of other societies.",
        "numbers",
    ),
    "a clock time with a dot after 下午": (
        "快递通常在第二天下午 5.30 之前送达。",
        "The courier normally delivers by 5.30pm next day.",
        "The courier normally delivers by 6.30pm next day.",
        "numbers",
    ),
    "a range whose scale word is at its end": (
        "据报道，工党可能需要支付300-800万英镑的赔偿金。",
        "Labour could have to pay damages of between £3million and £8million, according to reports.",
        "Labour could have to pay damages of between £4million and £8million, according to reports.",
        "numbers",
    ),
    "a bicentennial": (
        "两家机构共同纪念该桥的200年历史。",
        "The two bodies have been marking the bridge's bicentennial.",
        "The two bodies have been marking the bridge's centenary.",
        "numbers",
    ),
    "an abbreviated month": (
        "特莱克·佩林9月份入伍后随军进驻伊拉克一年。",
        "Track Palin spent a year in Iraq after enlisting in Sept.",
        "Track Palin spent a year in Iraq after enlisting in Oct.",
        "numbers",
    ),
    "a compound number word with percent": (
        "58%的选民表示，参议员不应该参加竞选。",
        "Fifty-eight percent of voters said the senator should not run.",
        "Fifty-five percent of voters said the senator should not run.",
        "numbers",
    ),
    "a range of percentages in words": (
        "中方对价值600亿美元的美国商品征收5%到10%的关税。",
        "Beijing slapped tariffs of five to ten per cent on $60 billion of American goods.",
        "Beijing slapped tariffs of five to twelve per cent on $60 billion of American goods.",
        "numbers",
    ),
    "an acronym with dots": (
        "有关特朗普的报道充满反转（指与NFL辩论）。",
        "The Trump show has daily plot twists (picking a fight with the N.F.L.).",
        "The Trump show has daily plot twists (picking a fight with the league).",
        "names",
    ),
    "an accented name": (
        "本剧的灵感来源于爱尔兰广播公司一个名为Scannál的节目。",
        "It was inspired by an RTE program called Scannál.",
        "It was inspired by an RTE program called Scanal.",
        "latin",
    ),
}


def test_a_name_without_its_accent_is_the_same_name():
    assert errors("何塞·José Mourinho 表示满意。", "Jose Mourinho said he was pleased.", "latin") == []


def test_a_time_range_over_both_halves_of_the_day_is_not_wrong():
    assert errors("服务时间为上午 10 点至晚上 10 点。", "The line is open 10 a.m.-10 p.m.", "numbers") == []


def test_a_quotation_over_paragraphs_opens_each_one_and_closes_the_last():
    said = (
        "他表示：“行业越来越清楚地认识到这一点。”",
        "He said: \"It's increasingly clear that the sector sees the need.",
    )
    goes_on = ("“苏格兰有很大的雄心。”", '"Scotland has big ambitions."')
    stops = ("苏格兰有很大的雄心。", "Scotland has big ambitions.")
    assert findings([said, goes_on], "brackets") == []
    assert findings([said, goes_on], "brackets", "warning")  # still shown
    assert findings([said, stops], "brackets") == ["0: an odd number of straight double quotes"]
    # a double quote opening inside the open quotation is a mark misplaced, whatever follows
    misplaced = ("那人追：“小姐！请等等！”你停下了脚步。", "He chased you, “miss! Please wait! “You stopped.")
    assert findings([misplaced, goes_on], "brackets")
    # a quotation over sentence-long segments, closed a few segments on: each is a warning
    opens = ("“我听到我的妻子在呼救。”", '"I heard my wife cry for help, but then silence.')
    between = ("“我不知道她发生了什么。”", "I don't know what happened to her.")
    closes = ("“我很害怕，”他说。", 'I am scared," he said.')
    assert findings([opens, between, closes], "brackets") == []
    assert len(findings([opens, between, closes], "brackets", "warning")) == 2
    # …but not one that nothing closes
    assert findings([opens, between, stops], "brackets")


def test_the_paragraph_that_closes_a_quotation_opened_before_it_warns():
    source = "据他的祖父表示，辛迪亚也提供了支持。"
    closes = 'Scindia has also offered support," his grandfather said.'
    assert findings([(source, closes)], "brackets") == []
    assert findings([(source, closes)], "brackets", "warning")
    # an apostrophe typed as a double quote is no quotation's end
    assert findings([("法官的判决不能被推翻。", 'Judges" decisions cannot be overturned.')], "brackets")
    # nor where the source closes its own quotation in the paragraph
    assert findings([("他说：“辛迪亚也提供了支持。”", closes)], "brackets")


def test_an_idiom_with_a_figure_is_no_invented_figure():
    assert errors("他说，情况有点两难。", "It has been a bit of a Catch 22, he said.", "numbers") == []
    assert errors("他说，情况有点两难。", "It has been a bit of a Catch 23, he said.", "numbers")


def test_the_readers_behind_the_rules():
    assert [v for v, *_ in source_numbers("4亿5千万年前")] == [450_000_000]
    assert [v for v, *_ in source_numbers("5千万元")] == [50_000_000]
    assert [v for v, *_ in source_numbers("3亿2000万元")] == [320_000_000]
    assert 10**6 in target_numbers("per million departures")[0]
    assert 100_000 in target_numbers("100k meters")[0]
    assert [v for v, *_ in source_numbers("300-800万英镑")] == [3_000_000, 8_000_000]
    assert 250_000 in target_numbers("a quarter of a million")[0]
