"""Scrapy item pipelines: thin adapters that hand each ReportItem to the project's plain functions.

Order (crawler/settings.py ITEM_PIPELINES): fetch attachments → archive every byte → extract facts → database.
Every failure is recorded on the item (Document.failure) and travels on to the database; no pipeline drops a report.
"""
