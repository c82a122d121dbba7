"""张店区科学技术局 (Zhangdian District Science and Technology Bureau, Zibo): its entries in the district's Hanweb
信息公开 directory; annual reports rendered as HTML by the directory's annual-report module."""

from crawler.platforms.hanweb import HanwebXxgkSpider


class ZhangdianKjjSpider(HanwebXxgkSpider):
    name = "zhangdian_kjj"
    agency = "张店区科学技术局"
    region = "山东省淄博市张店区"
    level = "区县级"
    allowed_domains = ["www.zhangdian.gov.cn"]
    directory_url = (
        "http://www.zhangdian.gov.cn/module/xxgk/search.jsp?infotypeId=&jdid=&area=11370303004305217R"
        "&divid=div36021&sortfield=,compaltedate:0&currpage=1&standardXxgk=1"
    )
