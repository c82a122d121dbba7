"""Spiders with code of their own: the exception a site must earn. Every other site is a row of sites.csv
(crawler/sites.py), crawled by its platform's base (crawler/platforms/). A module here holds one AnnualReportSpider
subclass; its `name` must not also be a key of sites.csv."""
