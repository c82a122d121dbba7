"""淄博高新技术产业开发区 (Zibo high-tech zone): its 政府信息公开 channel on the china-zibo.gov.cn portal, a list
rendered by JavaScript from a JSON API behind a cookie-challenge WAF."""

from crawler.platforms.jsonlist import JsonListChannelSpider


class ZiboGxqSpider(JsonListChannelSpider):
    name = "zibo_gxq"
    agency = "淄博高新技术产业开发区"
    region = "山东省淄博市"
    level = "区县级"  # a national high-tech zone, administered like a district of the city
    allowed_domains = ["www.china-zibo.gov.cn"]
    # The host is the one the reports name (www.china-zibo.gov.cn); the channel id could not be looked up from a
    # machine without internet access. Confirm it on the first live crawl: a wrong id ends as 0 reports for this
    # spider in the crawl summary and a non-zero exit status.
    channel_url = "https://www.china-zibo.gov.cn/gongkai/site_gxq/channel_67c9f5ed66a144b7b5a9362c/index.html"
