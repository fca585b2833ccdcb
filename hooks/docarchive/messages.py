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
    # punctuation around the engine's words and the archive's (full-width in Chinese)
    ". ": "。", ".": "。", ": ": "：", ":": "：", " (%(what)s)": "（%(what)s）",
    "%(title)s (%(date)s, %(kind)s, %(stage)s %(name)s)": "%(title)s（%(date)s，%(kind)s，%(stage)s %(name)s）",
    ", %(label)s (%(date)s)": "，%(label)s（%(date)s）", ", %(section)s": "，%(section)s",
    "Published in %(source)s; not reproduced here.": "刊于%(source)s；本档案未转载。",
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
    "Read:": "延伸阅读：", "Source:": "来源：", "pixels": "像素", "Section: “%(title)s”.": "章节：“%(title)s”。", "%(position)s, %(period)s": "%(position)s，%(period)s",
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
    "About this photograph": "关于这张照片", "not reproduced here.": "本档案未转载。",
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
    "Editor in charge: %(editor)s.": "责任编辑: %(editor)s.", "%(publication)s, %(date)s": "%(publication)s，%(date)s",
    # the browse page (browse.html; browse.js fills in {shown} and {total}) and the stories' folder
    "Every story, filtered by stage, year, place, person, organization or tag.":
        "全部故事，可按阶段、年份、地点、人物、机构或标签筛选。",
    "All %(n)s stories of the archive. Choose a stage, a year, a place, a person, an organization or a tag to "
    "narrow the list; values within one group widen it, groups combine.":
        "本档案的全部 %(n)s 个故事。选择阶段、年份、地点、人物、机构或标签来缩小范围；"
        "同一组内多选会扩大范围，不同组之间的条件同时生效。",
    "Filter the stories": "筛选故事", "Words in the title or summary": "标题或摘要中的词语",
    "Year": "年份", "Tag": "标签", "Clear all filters": "清除全部筛选条件",
    "Showing {shown} of {total} stories.": "显示 {total} 个故事中的 {shown} 个。",
    "Showing all {total} stories.": "显示全部 {total} 个故事。",
    "Browse this story with more filters": "用更多筛选条件浏览这个故事",
    "Browse these %(num)s stories with more filters": "用更多筛选条件浏览这 %(num)s 个故事",
    "Browse them all": "浏览全部故事",
    "The archive has %(n)s stories. %(browse)s, by stage, year, place, person, organization or tag, or read them "
    "stage by stage:": "本档案共有 %(n)s 个故事。可以%(browse)s，按阶段、年份、地点、人物、机构或标签筛选，也可以逐个阶段阅读：",
    # "cite this" (macros.html)
    "Cite this": "引用本页", "Cite this archive": "引用本档案", "Download:": "下载：",
    # the page not found, the footer, and what archive.js writes (main.html passes these to it)
    "Page not found": "找不到页面", "This address is not part of the archive, or no longer is.": "这个地址不属于本档案，或已不再使用。",
    "Go to the home page": "回到首页", "Search the archive with the search box at the top of the page:": "用页面顶部的搜索框搜索本档案：",
    "Search": "搜索", "Made with": "制作工具：", "%(site)s: stories": "%(site)s：故事",
    "Photo viewer": "图片查看器", "Close photo viewer (Esc)": "关闭图片查看器（Esc）", "Previous photo": "上一张图片",
    "Next photo": "下一张图片", "Photo {n} of {total}": "第 {n} 张，共 {total} 张",
    # Material's colour toggles, as an archive's mkdocs.yml names them (theme.palette; mkdocs_glue.translate_palette)
    "Switch to dark mode": "切换到深色模式", "Switch to light mode": "切换到浅色模式",
    # Python-Markdown's footnotes (mkdocs_glue.translate_footnotes)
    "Jump back to footnote %d in the text": "跳回正文中的脚注 %d",
    # the data page: the data package's tables and their columns (datapackage.py), and its own words
    "Data": "数据", "Browse": "浏览",
    "Every record of the archive as CSV and JSON, with a Frictionless data package.":
        "本档案的全部记录，以 CSV 和 JSON 提供，附 Frictionless 数据包说明。",
    "Every record of this archive as open data: a CSV and a JSON file for each table below, described by a "
    "%(package)s (%(descriptor)s) that gives each column's type and the links between tables. Tools such as "
    "%(tool)s, pandas or a spreadsheet read them directly.":
        "本档案的全部记录均为开放数据：下列每个表各有一个 CSV 文件和一个 JSON 文件，由 %(package)s（%(descriptor)s）"
        "说明每列的类型和表与表之间的关联。%(tool)s、pandas 或电子表格软件可以直接读取。",
    "Frictionless data package": "Frictionless 数据包",
    "%(figures)s and %(timeline)s: the key figures and the timeline in one readable table each, with their sources "
    "written out.": "%(figures)s 和 %(timeline)s：关键数据和大事记各成一张易读的表，并写明来源。",
    "%(build)s: where this copy of the site came from (commit, software versions, date, counts, photo checksums).":
        "%(build)s：本网站这一副本的来历（提交、软件版本、日期、数量、图片校验和）。",
    "In every table, dates keep their precision: %(year)s, %(month)s or %(day)s. An empty cell means the record "
    "does not say. Lists of references (the places of a story, the sources of an event) are tables of their own, "
    "one row per link.":
        "各表中的日期保留原有精度：%(year)s、%(month)s 或 %(day)s。空单元格表示记录中没有说明。"
        "引用列表（故事涉及的地点、事件的来源）各自成表，每个关联占一行。",
    "Column": "列", "Type": "类型", "Meaning": "含义", " (key)": "（主键）", "; always given": "；必有",
    "string": "文本", "integer": "整数", "number": "数字", "boolean": "布尔值",
    "The stages the archive is told in, in order.": "本档案叙述所分的各个阶段，按顺序排列。",
    "the stage's id": "阶段的标识", "its title": "标题", "its place in the sequence, from 1": "在序列中的位置，从 1 开始",
    "the years it covers, as written": "所涵盖的年份，按原文写法", "one sentence about it": "一句话简介",
    "Every story, with its stage and date.": "全部故事，附所属阶段和日期。",
    "the story's id (its file name)": "故事的标识（即文件名）", "its Chinese title, if translated": "中文标题（如已翻译）",
    "its stage (stages.csv)": "所属阶段（stages.csv）",
    "the date it tells of, at its precision (YYYY, YYYY-MM or YYYY-MM-DD)":
        "所讲述的日期，保留原有精度（YYYY、YYYY-MM 或 YYYY-MM-DD）",
    "one or two sentences": "一两句话", "its summary in Chinese, if translated": "中文摘要（如已翻译）",
    "its tags, separated by '; '": "标签，以“; ”分隔", "whether the home page features it": "首页是否精选",
    "its Markdown master in the archive's repository": "在档案仓库中的 Markdown 原稿",
    "Places of stories": "故事涉及的地点", "One row for each place of each story.": "每个故事的每个地点占一行。",
    "the story (stories.csv)": "故事（stories.csv）", "the place (places.csv)": "地点（places.csv）",
    "People in stories": "故事中的人物", "One row for each person of each story.": "每个故事的每个人物占一行。",
    "the person (people.csv)": "人物（people.csv）",
    "Organizations in stories": "故事涉及的机构", "One row for each organization of each story.": "每个故事的每个机构占一行。",
    "the organization (organizations.csv)": "机构（organizations.csv）",
    "Photos of stories": "故事的图片", "One row for each photo of each story.": "每个故事的每张图片占一行。",
    "the photo (photos.csv)": "图片（photos.csv）",
    "Sources of stories": "故事的来源", "One row for each source of each story.": "每个故事的每个来源占一行。",
    "the source (sources.csv)": "来源（sources.csv）",
    "the section of the source, if one is cited (see the source's sections)": "所引用的来源章节（如有；见来源的章节列表）",
    "Every photo record: caption, credit, licence and consent.": "全部图片记录：图片说明、作者、使用许可和当事人同意情况。",
    "the photo's id (its file name without extension)": "图片的标识（即不带扩展名的文件名）", "its caption": "图片说明",
    "its caption in Chinese, if translated": "中文图片说明（如已翻译）",
    "its text alternative, for readers who cannot see it": "替代文字，供看不到图片的读者使用",
    "who made it": "作者", "its licence": "使用许可", "whether identifiable people consented": "可辨认的当事人是否同意",
    "when it was taken, at its precision": "拍摄时间，保留原有精度", "where (places.csv)": "地点（places.csv）",
    "where it was published (sources.csv)": "发表于何处（sources.csv）", "the section of that source": "该来源的章节",
    "true for a generated card standing in for a real photograph": "为 true 时表示这是代替真实照片的生成卡片",
    "the master image's file name in photos/": "原图在 photos/ 中的文件名",
    "Timeline events": "大事记事件", "Every dated event of the timeline, in date order.": "大事记中全部有日期的事件，按日期排列。",
    "the event's id": "事件的标识", "its date, at its precision": "日期，保留原有精度", "what happened": "发生了什么",
    "the same in Chinese, if translated": "对应的中文（如已翻译）", "a few sentences": "几句话",
    "true for a plan announced, not a thing done": "为 true 时表示这是宣布的计划，而非已完成的事",
    "true for how things stood when the source looked (a condition found, a running total), not a dated happening":
        "为 true 时表示这是来源成文时的状况（记者所见的情形或累计数），而非某一天发生的事",
    "Stories of events": "事件的相关故事", "One row for each story of each event.": "每个事件的每个相关故事占一行。",
    "the event (events.csv)": "事件（events.csv）",
    "Sources of events": "事件的来源", "One row for each source of each event.": "每个事件的每个来源占一行。",
    "Figures of events": "事件的数据", "One row for each figure of each event.": "每个事件的每项数据占一行。",
    "the figure (figures.csv)": "数据（figures.csv）",
    "Every key figure, with what it counts and its source.": "全部关键数据，附统计内容和来源。",
    "the figure's id": "数据的标识", "what it is": "是什么",
    "the source's hedge: exact, more-than, nearly, about or up-to":
        "来源的限定语：exact（确数）、more-than（多于）、nearly（近）、about（约）或 up-to（最多）",
    "the number": "数值", "its unit": "单位", "the date it refers to, at its precision": "所指日期，保留原有精度",
    "exactly what it counts": "确切的统计内容", "its source (sources.csv)": "来源（sources.csv）",
    "The register of people.": "人物名录。", "the person's id": "人物的标识",
    "their name, as the source gives it": "姓名，按来源的写法", "their role at the time": "当时的身份",
    "their organization (organizations.csv)": "所属机构（organizations.csv）", "their place (places.csv)": "所在地点（places.csv）",
    "other spellings, separated by '; '": "其他写法，以“; ”分隔",
    "true if the name is kept in the source's uncertain spelling": "为 true 时表示名字沿用来源中不确定的拼写",
    "a note": "说明",
    "The register of places.": "地点名录。", "the place's id": "地点的标识", "its English name": "英文名称",
    "its Chinese name, if known": "中文名称（如已知）",
    "what kind of place (city, county, village...)": "地点类别（市、县、村等）",
    "the place it lies in (places.csv)": "所属的上级地点（places.csv）",
    "The register of organizations.": "机构名录。", "the organization's id": "机构的标识",
    "what kind of organization": "机构类别", "where it is (places.csv)": "所在地点（places.csv）",
    "The sources the archive cites, with full bibliographic details.": "本档案引用的来源，附完整的书目信息。",
    "the source's id": "来源的标识", "its Chinese title, if known": "中文标题（如已知）",
    "where it was published": "发表于何处", "that publication's Chinese name": "该刊物的中文名称",
    "its date of publication, at its precision": "发表日期，保留原有精度",
    "its authors, separated by '; '": "作者，以“; ”分隔", "its editor": "编辑",
    "the language the archive read it in": "本档案所读版本的语言",
    # (a message is the engine's own HTML: jinja2 marks it safe, and escapes only the values filled in)
    "its sections as id: title, separated by '; '": "章节，每项写作 <code>id: title</code>，各项以 <code>; </code> 分隔",
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

# The words archive.js writes into a page: main.html hands them to it in the edition's language.
SCRIPT_WORDS = ("Photo viewer", "Close photo viewer (Esc)", "Previous photo", "Next photo", "Photo {n} of {total}",
                "Search")


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

