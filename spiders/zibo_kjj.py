"""淄博市科学技术局 (Zibo Municipal Science and Technology Bureau): 政府信息公开年报 column, Hanweb JCMS."""

from crawler.platforms.hanweb import HanwebColumnSpider


class ZiboKjjSpider(HanwebColumnSpider):
    name = "zibo_kjj"
    agency = "淄博市科学技术局"
    region = "山东省淄博市"
    level = "市级"
    allowed_domains = ["kjj.zibo.gov.cn"]
    column_url = "http://kjj.zibo.gov.cn/col/col18932/index.html"
