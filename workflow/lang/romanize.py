"""Chinese personal names in the source and how the English must write
them in pinyin: "Surname Givenname", the given name one word, capitalized
once (商海春 → Shang Haichun).  Machine translation splits given names into
syllables ("Shang Hai Chun") or glues the next character on ("Shang Hai
Chunzuo" for 商海春 作): :func:`split_names` finds those.

Names are found conservatively: a common surname and one or two Han
characters, only in a name context (a title before it such as 记者 or 主任,
a verb of saying after it such as 表示 or 说, a credit line such as
``新华社发 商海春 作``), or a glossary name.  The given name's syllables come
from pypinyin (phrase-aware readings, well kept); the surnames' own readings
(单 Shan, 曾 Zeng, 区 Ou) are in the table here, since a surname is often read
otherwise in running text.

May import: nothing from the package.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Common surnames (single and compound) and their readings as surnames.
SURNAMES = dict(
    item.split(":")
    for item in """
王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun 马:ma 朱:zhu 胡:hu
郭:guo 何:he 高:gao 林:lin 罗:luo 郑:zheng 梁:liang 谢:xie 宋:song 唐:tang 许:xu 韩:han 冯:feng 邓:deng 曹:cao
彭:peng 曾:zeng 肖:xiao 田:tian 董:dong 袁:yuan 潘:pan 于:yu 蒋:jiang 蔡:cai 余:yu 杜:du 叶:ye 程:cheng 苏:su
魏:wei 吕:lyu 丁:ding 任:ren 沈:shen 姚:yao 卢:lu 姜:jiang 崔:cui 钟:zhong 谭:tan 陆:lu 汪:wang 范:fan 金:jin
石:shi 廖:liao 贾:jia 夏:xia 韦:wei 付:fu 方:fang 白:bai 邹:zou 孟:meng 熊:xiong 秦:qin 邱:qiu 江:jiang 尹:yin
薛:xue 闫:yan 段:duan 雷:lei 侯:hou 龙:long 史:shi 陶:tao 黎:li 贺:he 顾:gu 毛:mao 郝:hao 龚:gong 邵:shao
万:wan 钱:qian 严:yan 覃:qin 武:wu 戴:dai 莫:mo 孔:kong 汤:tang 商:shang 单:shan 区:ou 查:zha 翟:zhai
仇:qiu 解:xie 乐:yue 朴:piao 柴:chai 常:chang 牛:niu 庞:pang 施:shi 洪:hong 蒙:meng 易:yi 樊:fan 温:wen 岳:yue
欧阳:ouyang 司马:sima 诸葛:zhuge 上官:shangguan 司徒:situ 东方:dongfang 皇甫:huangfu 慕容:murong 令狐:linghu
""".split()
)

_TITLES = (
    "记者|通讯员|特约记者|实习生|主任|副主任|书记|副书记|市长|副市长|局长|副局长|经理|总经理|董事长|"
    "教授|副教授|院长|副院长|主席|部长|省长|县长|区长|镇长|村长|校长|所长|厅长|处长|科长|医生|医师|"
    "护士长|老师|总裁|会长|理事长|秘书长|研究员|工程师|队长|主播|发言人|负责人|网友|村民|市民|患者|"
    "博士|律师|法官|检察官|大使|总监|创始人|代表|委员|选手|运动员|主教练|导演|演员|作家|画家"
)
_SAYS = "表示|说|称|介绍|指出|认为|告诉|透露|坦言|回忆|强调|解释|提到|补充|建议|呼吁|说道|笑着说"
_ENDS = r"(?=$|[，。、：；！？“”（）\s]|" + _SAYS + ")"
_SURNAME = "|".join(sorted(SURNAMES, key=len, reverse=True))
_NAME = rf"(?:{_SURNAME})[\u4e00-\u9fff]{{1,2}}?"
#: A name after a title (记者商海春表示), before a verb of saying at a clause's start (，商海春表示),
#: or alone between spaces in a credit line (新华社发 商海春 作, 记者 张三 摄).
_CONTEXTS = (
    re.compile(rf"(?:{_TITLES})[\s：:]*({_NAME}){_ENDS}"),
    re.compile(rf"(?:^|[，。：；“”（\s])({_NAME})(?:{_SAYS})"),
    re.compile(rf"(?:^|\s)({_NAME})\s+(?:作|摄|绘|报道|供图|制图)(?:\s|$)"),
)
#: For each context, a character one of its words must hold: a segment without it skips that pass.
_GATES = tuple(
    re.compile("[" + "".join(sorted({w[0] for w in words.split("|")})) + "]") for words in (_TITLES, _SAYS)
) + (re.compile(r"\s"),)
#: Not given names: 王先生, 张某, 李总 (a form of address, not a name).
_NOT_GIVEN = re.compile(
    r"^(?:先生|女士|小姐|老师|某|总|局|书记|主任|记者|老|氏|家|姓|队|等|们|大爷|大妈|阿姨|师傅|大姐|奶奶|爷爷|同学|同志|教授|医生|"
    rf"面|位|务|{_SAYS})"
)  # nor 方面, 单位, 商务部, 曾指出 (once said): words, not names
_HAN = re.compile(r"[\u4e00-\u9fff]")


def source_names(source: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, surname's pinyin, the given name's syllables) for each name
    the source holds in a name context, in order, each once."""
    if not _HAN.search(source):
        return []
    out: dict = {}
    for gate, pattern in zip(_GATES, _CONTEXTS):
        for m in pattern.finditer(source) if gate.search(source) else ():
            name = m.group(1)
            surname = next(s for s in sorted(SURNAMES, key=len, reverse=True) if name.startswith(s))
            given = name[len(surname) :]
            if given and not _NOT_GIVEN.match(given) and name not in out:
                out[name] = (name, SURNAMES[surname], _syllables(given))
    return list(out.values())


@lru_cache(maxsize=4096)
def _syllables(given: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin  # imported when a name is met: most segments hold none

    return tuple(s.replace("ü", "v").lower() for s in lazy_pinyin(given))


def written(surname: str, syllables: tuple[str, ...]) -> str:
    """商海春 → "Shang Haichun"."""
    return f"{surname.capitalize()} {''.join(syllables).capitalize()}"


def split_names(source: str, target: str, names=None) -> list[str]:
    """A message for each name of ``source`` the English writes in pinyin
    with its given name split into syllables or a syllable glued on."""
    out = []
    for name, surname, syllables in names if names is not None else source_names(source):
        if surname.capitalize() not in target:
            continue
        right = written(surname, syllables)
        for m in re.finditer(rf"\b{surname.capitalize()}[ \u00a0]+([A-Z][a-z]+)(?:[ \u00a0]+([A-Z][a-z]+))?", target):
            words = [w.lower() for w in m.groups() if w]
            problem = _problem(words, syllables)
            if problem:
                out.append(f"the name {name} is written {m.group()!r}: {problem}; write {right!r}")
    return out


def _problem(words: list[str], syllables: tuple[str, ...]) -> str:
    joined = "".join(syllables)
    if words[0] == joined:
        return ""
    if len(syllables) == 2 and len(words) == 2 and words[0] == syllables[0] and words[1].startswith(syllables[1]):
        glued = words[1][len(syllables[1]) :]
        return "the given name is split into syllables" + (f" and {glued!r} is glued on" if glued else "")
    if words[0].startswith(joined) and len(words[0]) > len(joined):
        return f"{words[0][len(joined) :]!r} is glued onto the given name"
    return ""
