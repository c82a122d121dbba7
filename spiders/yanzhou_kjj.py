"""济宁市兖州区科学技术局 (Yanzhou District Science and Technology Bureau, Jining): 政府信息公开年报 column, Hanweb
JCMS. Report pages hold the report as HTML and link its Word and PDF files; the 2021 report's （图解） infographic
is archived as an attachment of that report, not as a report (crawler.platforms.hanweb)."""

from crawler.platforms.hanweb import HanwebColumnSpider


class YanzhouKjjSpider(HanwebColumnSpider):
    name = "yanzhou_kjj"
    agency = "济宁市兖州区科学技术局"
    region = "山东省济宁市兖州区"
    level = "区县级"
    allowed_domains = ["www.yanzhou.gov.cn"]
    column_url = "http://www.yanzhou.gov.cn/col/col25873/index.html"
