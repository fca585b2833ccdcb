"""The engine's own words in each language: labels of its templates, dates, qualifiers, kinds.

Not archive content: nothing here names a place, a person or a stage. The
English is the message id (templates call ``_("Stories")``, jinja2's i18n
extension); a language's catalogue maps it to that language, and a message
missing from a catalogue shows in English (``tests/test_editions.py`` checks
that every message of the templates is in every catalogue).
"""

from __future__ import annotations

from .dates import PartialDate

ZH = {
    # separators of lists
    ", ": "、", "; ": "；",
    # navigation and page titles
    "Home": "首页", "Stages": "阶段", "Timeline": "大事记", "Photos": "图片", "People": "人物",
    "Places": "地点", "Organizations": "机构", "Key figures": "关键数据", "Sources": "资料来源",
    "Person": "人物", "Place": "地点", "Organization": "机构",
    "Dated events of the partnership, 2010 to 2020, by year.": "2010 年至 2020 年协作中有日期的事件，按年排列。",
    "The partnership's key numbers, each with its source.": "协作的关键数据，每项注明来源。",
    "Every photo of the archive, by stage.": "本档案的全部图片，按阶段排列。",
    "Full citations of the archive's sources.": "本档案资料来源的完整出处。",
    # labels of metadata
    "About this story": "关于本文", "Date": "日期", "Stage": "阶段", "Tags": "标签", "Stories": "故事",
    "Role": "身份", "Kind": "类别", "In": "所属", "Also written": "又作", "Spelling": "拼写", "Note": "说明",
    "Source": "来源", "Caption": "图片说明", "Placeholder": "占位图", "Shows": "内容", "Credit": "作者",
    "License": "使用许可", "Consent": "当事人同意", "In stories": "所在故事", "Largest size": "最大尺寸",
    "Publication": "刊物", "Reporters": "记者", "Editor in charge": "责任编辑", "Copy used": "所用版本",
    "Sections": "章节", "Figure": "数据", "Value": "数值", "What it counts": "统计内容",
    "Full citation": "完整出处", "Featured stories": "精选故事", "Explore": "浏览", "Years": "年份",
    "unknown": "不详", "none yet": "暂无", "plan": "计划", "plan announced": "已宣布的计划",
    " (enlarge)": "（放大）", "About this photo": "关于这张图片",
    "Read:": "延伸阅读：", "Source:": "来源：", "pixels": "像素", "Section:": "章节：",
    "section “%(title)s”": "章节“%(title)s”",
    "Spelling uncertain: kept as the translation spells it; the original Chinese is not known to the archive.":
        "拼写存疑：沿用译文的拼写；本档案不掌握原文的中文写法。",
    "This image is a generated card, not a photograph.": "这是一张生成的卡片，不是照片。",
    "It stands in for: %(what)s": "它代替的是：%(what)s",
    "No story names this %(kind)s yet.": "暂无故事提及此%(kind)s。",
    "No dated events yet.": "暂无有日期的事件。",
    "person": "人物", "place": "地点", "organization": "机构",
    "Stage %(n)s of %(total)s": "第 %(n)s 阶段，共 %(total)s 个",
    "Stage %(n)s": "第 %(n)s 阶段",
    "More in %(stage)s": "%(stage)s阶段的更多故事",
    "%(n)s stories": "%(n)s 个故事", "%(num)s photos": "%(num)s 张图片", "%(num)s photo": "%(num)s 张图片",
    "%(n)s events": "%(n)s 项", "no events": "无事件",
    # page ledes
    "The partnership in numbers, as the source reports them, each with the date it refers to, what it counts "
    "and the section of the source it comes from. Qualifiers such as “more than” are the source's own.":
        "按来源报道列出的协作数据，每项注明所指日期、统计内容和出自来源的哪一章节。“多于”等限定语均为来源原有。",
    "Download the key figures as CSV": "下载关键数据（CSV）",
    "Download the timeline as CSV": "下载大事记（CSV）",
    "%(n)s rows, with dates and sources": "%(n)s 行，含日期与来源",
    "%(n)s images, by stage. Images marked placeholder are generated cards that stand in for photographs "
    "the archive does not hold yet; they are never photographs.":
        "共 %(n)s 张图片，按阶段排列。标为占位图的是生成的卡片，代替本档案尚未收藏的照片，它们不是照片。",
    "%(n)s dated events of the partnership, from %(first)s to %(last)s, and the plans announced in %(last)s. "
    "Dates are as precise as the source: a year, a month or a day.":
        "协作的 %(n)s 项有日期的事件，从 %(first)s 年到 %(last)s 年，以及 %(last)s 年宣布的计划。"
        "日期的精确程度与来源一致：年、月或日。",
    "Every story, event, figure and photo of this archive names one of these sources, and usually the section "
    "it draws on.": "本档案的每个故事、事件、数据和图片都注明出自以下来源之一，通常还注明章节。",
    "%(n)s events, year by year": "%(n)s 项事件，逐年排列",
    "%(n)s images with their captions": "%(n)s 张图片及说明",
    "the numbers, each with its source": "各项数据及其来源",
    "places": "地点", "organizations": "机构", "and": "和",
    # the reading design (issue 11): home, story, timeline, figures
    "%(entries)s, year by year": "%(entries)s，逐年排列",
    "%(n)s dated entries, from %(first)s to %(last)s: %(events)s events, %(found)s conditions the source found "
    "(how things stood, or running totals) and %(plans)s plans announced at the time. Dates are as precise as "
    "the source: a year, a month or a day.":
        "%(n)s 条有日期的记录，从 %(first)s 年到 %(last)s 年：%(events)s 项事件，%(found)s 项来源所见的状况"
        "（当时的情形或累计数字），%(plans)s 项当时宣布的计划。日期的精确程度与来源一致：年、月或日。",
    "%(num)s dated entries": "%(num)s 条有日期的记录", "%(num)s dated entry": "%(num)s 条有日期的记录",
    "%(num)s entries": "%(num)s 条记录", "%(num)s entry": "%(num)s 条记录",
    "%(num)s key figure": "%(num)s 项关键数据", "%(num)s key figures": "%(num)s 项关键数据",
    "%(num)s stage": "%(num)s 个阶段", "%(num)s stages": "%(num)s 个阶段",
    "%(num)s story": "%(num)s 个故事", "%(num)s stories": "%(num)s 个故事",
    "%(west)s and %(east)s: what went each way": "%(west)s与%(east)s之间的往来",
    "a schematic, not a map: %(west)s in the west, %(east)s in the east":
        "示意图，不是地图：%(west)s在西，%(east)s在东",
    "To %(place)s:": "到%(place)s：",
    "(spelling uncertain)": "（拼写不确定）",
    "About this photograph": "关于这张照片", "Published in": "刊于", "not reproduced here.": "本档案未转载。",
    "All %(n)s figures": "全部 %(n)s 项数据", "Breadcrumb": "位置", "Headline numbers": "主要数字",
    "Figures that count the same thing in the same unit, side by side; each bar is scaled to the largest of its "
    "chart and links to the figure's row below.":
        "统计同一内容、单位相同的数据并列比较；每条长度按本图最大值缩放，并链接到下表中该项数据。",
    "It holds %(stories)s in %(stages)s, %(entries)s on a timeline, %(figures)s and the people, places and "
    "organizations they name.": "收有 %(stages)s中的 %(stories)s、大事记中的 %(entries)s、%(figures)s，以及其中提到的人物、地点和机构。",
    "Like with like": "同类比较", "Show": "显示", "all stages": "全部阶段", "The %(n)s stages": "%(n)s 个阶段",
    "The numbers as the sources report them, each with the date it refers to, what it counts and the section of "
    "the source it comes from. Qualifiers such as “more than” are the source's own.":
        "按来源报道列出的数据，每项注明所指日期、统计内容和出自来源的哪一章节。“多于”等限定语均为来源原有。",
    "Timeline at a glance": "大事记一览", "Year by year": "逐年", "and %(n)s more": "另有 %(n)s 项",
    "condition found": "来源所见的状况", "event": "事件", "none": "无",
    "stage %(n)s": "第 %(n)s 阶段", "stage %(n)s of %(total)s": "第 %(n)s 阶段，共 %(total)s 个",
    "story %(n)s of %(total)s": "第 %(n)s 篇，共 %(total)s 篇",
    "Dated events, %(period)s, by year.": "有日期的事件，%(period)s，按年排列。",
    "Dated events, by year.": "有日期的事件，按年排列。",
    "For contributors": "供编者参考",
    "Also %(n)s generated cards that stand for subjects with no photograph:": "另有 %(n)s 张生成的卡片，代表没有照片的主题：",
    "The key numbers, each with its date and source.": "关键数据，每项注明日期和来源。",
    # entity pages: what else names the person, place or organization
    "On the timeline": "大事记中", "In the key figures": "关键数据中", "In photos": "图片中",
    # print: the line under every printed page (main.html)
    "Printed from": "打印自", "How to cite this page:": "引用本页：",
    # editions
    "Not yet translated: the English original follows.": "尚无中文译文，以下为英文原文。",
    "(English)": "（英文）",
    "Download the archive for offline reading": "下载本档案离线阅读",
    "ZIP, %(size)s": "ZIP，%(size)s", ": unzip it and open": "：解压后打开", "; it needs no network.": "，无需联网。",
    # qualifiers of figures
    "more than": "多于", "nearly": "近", "about": "约", "up to": "最多",
    # kinds of places and organizations, consent
    "province": "省", "city": "市", "prefecture": "州", "county": "县", "district": "区", "township": "乡镇",
    "village": "村", "park": "园区", "site": "地点", "region": "地区", "country": "国家",
    "government": "政府部门", "state-owned-enterprise": "国有企业", "private-enterprise": "民营企业",
    "mixed-ownership": "混合所有制企业", "company": "企业", "farm": "农场", "workshop": "车间", "industrial-park": "产业园", "media": "媒体",
    "association": "协会", "other": "其他",
    "not-applicable": "不适用", "given": "已同意", "public-event": "公开活动", "unknown-consent": "不详",
}

CATALOGUES = {"en": {}, "zh": ZH}


def catalogue(lang: str) -> dict:
    return CATALOGUES.get(lang, {})


def gettext(lang: str):
    """``_(message)`` for ``lang``: the English message when the catalogue lacks it.

    Templates pass values as ``_("%(n)s stories", n=3)``: jinja2's newstyle
    gettext escapes them and fills them in after the lookup.
    """
    table = catalogue(lang)
    return lambda message: table.get(message, message)


EDITION_NOTICES = {  # on the other editions' home pages, in the language of the edition they point to
    "en": "This archive is also in English, page for page:",
    "zh": "本档案另有中文版，页面一一对应：",
}


def edition_notice(lang: str) -> str:
    return EDITION_NOTICES.get(lang, "")


def date_label(date: PartialDate, lang: str) -> str:
    """A date at its precision: "4 March 2011", "March 2011", "2011"; in Chinese 2011年3月4日, 2011年3月, 2011年."""
    if lang != "zh":
        return date.label
    text = f"{date.year}年"
    if date.month:
        text += f"{date.month}月"
        if date.day:
            text += f"{date.day}日"
    return text

