"""固原市科学技术局 (Guyuan Municipal Science and Technology Bureau, Ningxia): 政府信息公开年报 column, TRS WCM."""

from crawler.platforms.trs import TrsListSpider


class GuyuanKjjSpider(TrsListSpider):
    name = "guyuan_kjj"
    agency = "固原市科学技术局"
    region = "宁夏回族自治区固原市"
    level = "市级"
    allowed_domains = ["kjj.nxgy.gov.cn"]
    list_url = "http://kjj.nxgy.gov.cn/zwgk/zfxxgknb/index.html"
